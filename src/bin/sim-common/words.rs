//! Splitting a typed line into words, each with its byte offset (where
//! an error points, where the rest of a line such as a description
//! starts).

pub fn split(text: &str) -> Vec<(usize, &str)> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                words.push((s, &text[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((s, &text[s..]));
    }
    words
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_offsets() {
        assert_eq!(super::split(" a  bc "), vec![(1, "a"), (4, "bc")]);
    }
}
