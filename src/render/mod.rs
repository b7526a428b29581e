//! Intent → config text with minijinja templates.
//!
//! Templates are data: `templates/<platform>/*.j2`, embedded in the binary
//! and overridable file by file with `--templates DIR` (DIR/<platform>/<name>).
//! Undefined values are errors, and the formatter refuses any value holding
//! a control character, so nothing can smuggle a second command line into a
//! config even if a template forgets to validate.
//!
//! A device renders from `<platform>/device.j2` with `device` in its
//! context. Access lists render apart, each from `<platform>/acl.j2` with
//! only `acl` and `groups` (the object-groups it names, which are named
//! after their content, so the same on every switch) in its context: an
//! ACL's text depends on nothing else, so a fabric renders each distinct
//! ACL once ([`Renderer::render_acls`]) and every switch that binds it
//! inserts the same text (`acl.text`).

mod acl;

use crate::intent::{Acl, DeviceIntent};
use crate::platform::Platform;
use crate::vlan::VlanSet;
pub use acl::{ace_filter_entry, acl_filter_value, AclGroups};
use acl::{AclValue, RenderedAcl};
use minijinja::{Environment, Error, ErrorKind, Template, UndefinedBehavior, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What a platform gives the renderer: its template directory, its
/// templates in the order they are listed (embedded in the binary, each
/// overridable by `--templates DIR/<dir>/<file>`), and the filters its
/// templates use.
pub struct TemplateSet {
    /// The directory under `templates/` and under a `--templates` DIR.
    pub dir: &'static str,
    /// `(file name, text)`; empty while the platform cannot be rendered.
    pub files: &'static [(&'static str, &'static str)],
    /// Adds the platform's own filters to its environment (the generic
    /// ones, such as `vlan_ranges`, every platform gets).
    pub add_filters: fn(&mut Environment<'static>),
}

impl TemplateSet {
    fn embedded(&self, file: &str) -> Option<&'static str> {
        self.files
            .iter()
            .find(|(name, _)| *name == file)
            .map(|(_, text)| *text)
    }
}

/// The template set whose directory is `dir`.
fn template_set(dir: &str) -> Option<&'static TemplateSet> {
    Platform::ALL
        .into_iter()
        .map(Platform::templates)
        .find(|set| set.dir == dir)
}

/// A rendering failure, with the template and line when minijinja knows them.
#[derive(Debug)]
pub struct RenderError {
    pub device: String,
    pub message: String,
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cannot render the config of `{}`: {}",
            self.device, self.message
        )
    }
}

/// One template environment per platform, so each platform's templates
/// see its own filters only.
pub struct Renderer {
    envs: Vec<(Platform, Environment<'static>)>,
}

/// ACL texts rendered once for every switch that binds them, by the
/// identity of the shared [`Acl`] (see [`DeviceIntent::acls`]).
/// The map holds each `Arc` whose address is its key, so no address is
/// reused while its key exists.
#[derive(Default)]
pub struct RenderedAcls(HashMap<usize, (Arc<Acl>, Arc<RenderedAcl>)>);

fn identity(acl: &Arc<Acl>) -> usize {
    Arc::as_ptr(acl) as usize
}

impl RenderedAcls {
    fn get(&self, acl: &Arc<Acl>) -> Option<Arc<RenderedAcl>> {
        self.0.get(&identity(acl)).map(|(_, text)| text.clone())
    }

    fn insert(&mut self, acl: &Arc<Acl>, text: RenderedAcl) {
        self.0.insert(identity(acl), (acl.clone(), Arc::new(text)));
    }
}

impl Renderer {
    /// `overrides`: a directory whose `<platform>/<name>` files replace the
    /// embedded templates of the same name.
    pub fn new(overrides: Option<&Path>) -> Result<Self, String> {
        if let Some(dir) = overrides {
            if !dir.is_dir() {
                return Err(format!(
                    "template directory {} does not exist (it should hold <platform>/<name>.j2 files)",
                    dir.display()
                ));
            }
        }
        let overrides: Option<PathBuf> =
            match overrides {
                Some(dir) => Some(std::fs::canonicalize(dir).map_err(|e| {
                    format!("cannot open template directory {}: {e}", dir.display())
                })?),
                None => None,
            };
        let envs = Platform::ALL
            .into_iter()
            .map(|platform| Ok((platform, environment(platform, overrides.clone())?)))
            .collect::<Result<_, String>>()?;
        Ok(Renderer { envs })
    }

    /// The environment of `platform` and the name of its `file`.
    fn template(&self, platform: Platform, file: &str) -> Result<Template<'_, '_>, Error> {
        let (_, env) = self
            .envs
            .iter()
            .find(|(p, _)| *p == platform)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::TemplateNotFound,
                    format!("no templates for platform {}", platform.as_str()),
                )
            })?;
        env.get_template(&format!("{}/{file}", platform.templates().dir))
    }

    /// Renders one device, its ACLs included.
    pub fn render(&self, device: &DeviceIntent) -> Result<String, RenderError> {
        self.render_with(device, &RenderedAcls::default())
    }

    /// Renders the distinct ACLs of `devices` on every core, each once
    /// however many switches bind it.
    pub fn render_acls<'d>(
        &self,
        devices: impl IntoIterator<Item = &'d DeviceIntent>,
    ) -> Result<RenderedAcls, RenderError> {
        let mut seen = std::collections::HashSet::new();
        let distinct: Vec<(&DeviceIntent, &Arc<Acl>)> = devices
            .into_iter()
            .flat_map(|device| device.acls.iter().map(move |acl| (device, acl)))
            .filter(|(_, acl)| seen.insert(identity(acl)))
            .collect();
        let texts =
            crate::pool::run_on_cores(&distinct, |(device, acl)| self.render_acl(device, acl));
        let mut rendered = RenderedAcls::default();
        for ((_, acl), text) in distinct.iter().zip(texts) {
            rendered.insert(acl, text?);
        }
        Ok(rendered)
    }

    /// Renders one device, taking its ACLs' texts from `acls` (those
    /// missing there are rendered now).
    pub fn render_with(
        &self,
        device: &DeviceIntent,
        acls: &RenderedAcls,
    ) -> Result<String, RenderError> {
        let fail = |e: Error| RenderError {
            device: device.name.clone(),
            message: describe_error(&e),
        };
        let template = self.template(device.platform, "device.j2").map_err(fail)?;
        let acl_values = device
            .acls
            .iter()
            .map(|acl| {
                let text = match acls.get(acl) {
                    Some(text) => text,
                    None => Arc::new(self.render_acl(device, acl)?),
                };
                Ok(Value::from_object(AclValue {
                    acl: acl.clone(),
                    text: Some(text),
                }))
            })
            .collect::<Result<Vec<Value>, RenderError>>()?;
        let device_value = Value::from_object(acl::DeviceValue {
            fields: Value::from(minijinja::value::Serde(device)),
            acls: Value::from(acl_values),
        });
        let text = template
            .render(minijinja::context! { device => device_value })
            .map_err(fail)?;
        Ok(normalise(&text))
    }

    /// One ACL through `<platform>/acl.j2`; `device` names the switch in
    /// errors (the ACL's text does not depend on it).
    fn render_acl(
        &self,
        device: &DeviceIntent,
        acl: &Arc<Acl>,
    ) -> Result<RenderedAcl, RenderError> {
        let fail = |e: Error| RenderError {
            device: device.name.clone(),
            message: format!("ACL `{}`: {}", acl.name, describe_error(&e)),
        };
        let template = self.template(device.platform, "acl.j2").map_err(fail)?;
        let value = Value::from_object(AclValue {
            acl: acl.clone(),
            text: None,
        });
        let groups = Value::from_object(AclGroups::of(device, acl));
        let mut text = template
            .render(minijinja::context! { acl => value, groups => groups })
            .map_err(fail)?;
        // Without its last line end, so templates write `{{ acl.text }}`
        // as a line of its own.
        text.truncate(text.trim_end_matches('\n').len());
        Ok(RenderedAcl(text))
    }
}

/// The environment `platform`'s templates render in: strict about
/// undefined values, templates from `overrides` before the embedded ones.
fn environment(
    platform: Platform,
    overrides: Option<PathBuf>,
) -> Result<Environment<'static>, String> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .map_err(|e| e.to_string())?,
    );
    env.set_loader(move |name| {
        let Some((dir, file)) = jailed_name(name) else {
            return Err(outside_template_dirs(&format!("`{name}`")));
        };
        if let Some(overrides) = &overrides {
            let path = overrides.join(dir).join(file);
            if path.is_file() {
                // A symlink in the directory must not lead out of it.
                let real = std::fs::canonicalize(&path).map_err(|e| {
                    Error::new(
                        ErrorKind::InvalidOperation,
                        format!("cannot read template {}: {e}", path.display()),
                    )
                })?;
                if !real.starts_with(overrides) {
                    return Err(outside_template_dirs(&format!(
                        "`{name}` (a symlink to {})",
                        real.display()
                    )));
                }
                return std::fs::read_to_string(&real).map(Some).map_err(|e| {
                    Error::new(
                        ErrorKind::InvalidOperation,
                        format!("cannot read template {}: {e}", path.display()),
                    )
                });
            }
        }
        Ok(template_set(dir)
            .and_then(|set| set.embedded(file))
            .map(str::to_string))
    });
    // Templates include their siblings by bare name: resolve them in the
    // including template's platform directory.
    env.set_path_join_callback(|name, parent| match parent.split_once('/') {
        Some((dir, _)) if !name.contains('/') => format!("{dir}/{name}").into(),
        _ => name.into(),
    });
    env.set_formatter(refuse_control_characters);
    env.add_filter("vlan_ranges", vlan_ranges);
    (platform.templates().add_filters)(&mut env);
    Ok(env)
}

/// `<platform>/<file>` with two plain components (no `..`, no absolute
/// path, no deeper directories): the only names templates load by.
fn jailed_name(name: &str) -> Option<(&str, &str)> {
    let (platform, file) = name.split_once('/')?;
    let plain = |part: &str| {
        !part.is_empty() && part != "." && part != ".." && !part.contains(['/', '\\', '\0'])
    };
    (plain(platform) && plain(file)).then_some((platform, file))
}

/// `what`: the template name as quoted in the message.
fn outside_template_dirs(what: &str) -> Error {
    Error::new(
        ErrorKind::InvalidOperation,
        format!(
            "refusing to load template {what}: templates load only from the template directories (include a sibling by its bare name, e.g. `{{% include \"vlans.j2\" %}}`)"
        ),
    )
}

/// Warnings about a `--templates` directory: files no built-in template
/// is named like, which would otherwise be ignored without a word (W030).
/// A file that another site template names is a helper it includes, not a
/// mistake.
pub fn unknown_templates(dir: &Path) -> Vec<crate::diag::Diagnostic> {
    use crate::diag::Diagnostic;
    let list = |path: &Path| -> Vec<(String, PathBuf, bool)> {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let is_dir = e.path().is_dir();
                Some((name, e.path(), is_dir))
            })
            .filter(|(name, _, _)| !name.starts_with('.'))
            .collect();
        entries.sort();
        entries
    };
    let platforms: Vec<&str> = Platform::ALL
        .into_iter()
        .map(Platform::templates)
        .filter(|set| !set.files.is_empty())
        .map(|set| set.dir)
        .collect();
    let mut warnings = Vec::new();
    let mut site_texts = String::new();
    let mut candidates = Vec::new();
    for (name, path, is_dir) in list(dir) {
        if !is_dir {
            warnings.push(
                Diagnostic::warning(
                    "W030",
                    format!("template file `{name}` is not in a platform directory: it is ignored"),
                )
                .at(path)
                .hint(format!(
                    "templates go in {}/<platform>/<name>, e.g. {}/{}/{name}",
                    dir.display(),
                    dir.display(),
                    platforms.first().copied().unwrap_or("<platform>")
                )),
            );
            continue;
        }
        if !platforms.contains(&name.as_str()) {
            let hint = crate::inventory::did_you_mean_or(
                &name,
                &platforms,
                format!("known platforms: {}", platforms.join(", ")),
            );
            warnings.push(
                Diagnostic::warning(
                    "W030",
                    format!("unknown platform directory `{name}`: its templates are ignored"),
                )
                .at(path)
                .hint(hint),
            );
            continue;
        }
        for (file, file_path, _) in list(&path) {
            site_texts.push_str(&std::fs::read_to_string(&file_path).unwrap_or_default());
            candidates.push((name.clone(), file, file_path));
        }
    }
    for (platform, file, path) in candidates {
        let known: Vec<&str> = template_set(&platform)
            .into_iter()
            .flat_map(|set| set.files.iter().map(|(file, _)| *file))
            .collect();
        if known.contains(&file.as_str()) || site_texts.contains(&format!("\"{file}\"")) {
            continue;
        }
        let hint = crate::inventory::did_you_mean_or(
            &file,
            &known,
            format!("the {platform} templates are: {}", known.join(", ")),
        );
        warnings.push(
            Diagnostic::warning(
                "W030",
                format!("liaison has no {platform} template named `{file}`: this file replaces nothing and is ignored"),
            )
            .at(path)
            .hint(hint),
        );
    }
    warnings
}

fn describe_error(error: &Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        message.push_str(&format!(": {inner}"));
        source = inner.source();
    }
    message
}

/// Exactly one trailing newline and no trailing blanks, whatever the
/// templates' whitespace, so output is byte-stable.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn refuse_control_characters(
    out: &mut minijinja::Output,
    state: &mut minijinja::State,
    value: &Value,
) -> Result<(), Error> {
    if let Some(rendered) = value.downcast_object_ref::<RenderedAcl>() {
        // Checked value by value when it was rendered.
        return out.write_str(&rendered.0).map_err(Error::from);
    }
    if let Some(text) = value.as_str() {
        if let Some(c) = text.chars().find(|c| c.is_control()) {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("refusing to render a value with the control character {c:?}: {text:?}"),
            ));
        }
    }
    minijinja::escape_formatter(out, state, value)
}

/// `[10, 11, 12, 20]` → `10-12,20`; empty → `none`.
pub fn vlan_ranges(vlans: Vec<u16>) -> String {
    vlans.into_iter().collect::<VlanSet>().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(vlan_ranges(vec![]), "none");
        assert_eq!(vlan_ranges(vec![10, 11, 12, 20, 30, 31]), "10-12,20,30-31");
    }
}
