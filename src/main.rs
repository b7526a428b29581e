fn main() -> std::process::ExitCode {
    liaison::cli::run()
}
