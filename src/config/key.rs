//! What identifies a line among its siblings, as data: each platform
//! states its rules ([`KeyRules`]: sequence-numbered lists, per-direction
//! bindings, the one-line list, single-value settings) and one algorithm
//! here ([`KeyRules::key`]) applies them. Two lines with the same key set
//! the same thing, so the later wins and a change replaces the value.
//!
//! The model is hier_config's per-OS driver rules (netdevops/hier_config,
//! `hier_config/platforms/*/driver.py`: data per platform, one generic tree
//! algorithm).

use std::borrow::Cow;

/// A platform's rules for [`KeyRules::key`].
#[derive(Debug)]
pub struct KeyRules {
    /// The word that negates a command (`no `, with its space): `no X`
    /// shares the key of `X`.
    pub negation: &'static str,
    /// Prefixes of the sections whose entries are identified by their
    /// sequence number (`ip access-list `): `20 permit …` is entry `20`.
    pub sequenced: &'static [&'static str],
    /// Commands that hold one value per direction.
    pub bindings: Bindings,
    /// The list line that is one setting when written as one list.
    pub list: ListLine,
    /// Settings that hold one value (first match wins).
    pub single_value: &'static [SingleValue],
}

/// Commands inside sections with a header starting with `within` that
/// hold one value per direction (`ip access-group WEB in`): their key is
/// the command and the direction (the last word when it is one of
/// `directions`, else empty), so binding another replaces it in one step.
#[derive(Debug)]
pub struct Bindings {
    pub within: &'static str,
    pub commands: &'static [&'static str],
    pub directions: &'static [&'static str],
}

/// A list line (`switchport trunk allowed vlan 10-12,20`): written as one
/// list of ids (digits, `,` and `-`) or as `none`, it is one setting keyed
/// by `prefix`; any other line starting with `prefix` (`… add 30`, a
/// list naming something that is no id) identifies only itself.
#[derive(Debug)]
pub struct ListLine {
    pub prefix: &'static str,
    pub none: &'static str,
}

/// One single-value setting: writing the command again replaces the value.
#[derive(Clone, Copy, Debug)]
pub struct SingleValue {
    /// Where the setting is one.
    pub scope: Scope,
    /// The setting's name; a `*` stands for one word that is part of the
    /// name (the user of `username * password`).
    pub name: &'static str,
    /// What follows the name.
    pub value: Value,
}

/// Where a [`SingleValue`] applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// At the top level only.
    Top,
    /// Inside any section only.
    Sections,
    /// At any level.
    Anywhere,
    /// Inside sections whose header starts with this.
    Within(&'static str),
}

/// What follows a single-value setting's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    /// A flag: the name is the whole line (`shutdown`, `no shutdown`).
    Flag,
    /// One word (`mtu 9216`): a longer line is another command that starts
    /// the same way (`delay restore 150` is not `delay 10`).
    Word,
    /// The rest of the line, if anything (`description …`).
    Rest,
    /// Something, unless the line ends with this (` secondary`: a
    /// secondary address is a line of its own).
    RestUnless(&'static str),
    /// One word: a number or one of these (`vpc 10`, `vpc peer-link`).
    Id(&'static [&'static str]),
}

impl Value {
    /// Whether `rest`, what follows the name, is this kind of value.
    fn matches(self, rest: &str) -> bool {
        match self {
            Value::Flag => rest.is_empty(),
            Value::Word => rest.starts_with(' ') && !rest[1..].contains(' '),
            Value::Rest => rest.is_empty() || rest.starts_with(' '),
            Value::RestUnless(suffix) => rest.starts_with(' ') && !rest.ends_with(suffix),
            Value::Id(words) => rest.strip_prefix(' ').is_some_and(|word| {
                words.contains(&word)
                    || (!word.is_empty() && word.bytes().all(|b| b.is_ascii_digit()))
            }),
        }
    }
}

impl Scope {
    fn holds(self, parent: Option<&str>) -> bool {
        match self {
            Scope::Top => parent.is_none(),
            Scope::Sections => parent.is_some(),
            Scope::Anywhere => true,
            Scope::Within(prefix) => parent.is_some_and(|p| p.starts_with(prefix)),
        }
    }
}

impl SingleValue {
    pub const fn new(scope: Scope, name: &'static str, value: Value) -> Self {
        SingleValue { scope, name, value }
    }

    /// The setting's name as `stem` spells it and what follows it; None
    /// when `stem` is not this setting's line.
    fn split<'a>(&self, stem: &'a str) -> Option<(&'a str, &'a str)> {
        let Some((head, tail)) = self.name.split_once('*') else {
            let rest = stem.strip_prefix(self.name)?;
            return Some((&stem[..self.name.len()], rest));
        };
        let after_head = stem.strip_prefix(head)?;
        let word = after_head.split(' ').next().filter(|w| !w.is_empty())?;
        let rest = after_head[word.len()..].strip_prefix(tail)?;
        Some((&stem[..stem.len() - rest.len()], rest))
    }
}

impl KeyRules {
    /// What identifies `text` among its siblings (`parent` is the text of
    /// the enclosing section, None at the top level):
    /// - an entry of a sequenced list: its sequence number;
    /// - `no X`: the key of `X`;
    /// - a binding: the command and its direction;
    /// - the list line written as one list: its prefix;
    /// - a single-value setting: its name;
    /// - anything else: the whole line (without `no `).
    pub fn key<'a>(&self, parent: Option<&str>, text: &'a str) -> Cow<'a, str> {
        if let Some(parent) = parent {
            if self.sequenced.iter().any(|p| parent.starts_with(p)) {
                if let Some(seq) = text.split(' ').next().filter(|w| w.parse::<u32>().is_ok()) {
                    return Cow::Borrowed(seq);
                }
            }
        }
        let stem = text.strip_prefix(self.negation).unwrap_or(text);
        if let Some(key) = self.binding_key(parent, stem) {
            return Cow::Owned(key);
        }
        if let Some(key) = self.list_key(stem) {
            return Cow::Borrowed(key);
        }
        let first = stem.as_bytes().first();
        for setting in self.single_value {
            // Most lines share no first letter with most names: a byte
            // rejects them (keys are computed for every line, several
            // times).
            if setting.name.as_bytes().first() != first || !setting.scope.holds(parent) {
                continue;
            }
            if let Some((name, rest)) = setting.split(stem) {
                if setting.value.matches(rest) {
                    return Cow::Borrowed(name);
                }
            }
        }
        Cow::Borrowed(stem)
    }

    fn binding_key(&self, parent: Option<&str>, stem: &str) -> Option<String> {
        let bindings = &self.bindings;
        if !parent.is_some_and(|p| p.starts_with(bindings.within)) {
            return None;
        }
        let command = bindings.commands.iter().find(|c| {
            stem.len() > c.len() && stem.starts_with(*c) && stem.as_bytes()[c.len()] == b' '
        })?;
        let last = stem.split(' ').rfind(|w| !w.is_empty());
        let direction = last.filter(|w| bindings.directions.contains(w));
        Some(format!("{command} {}", direction.unwrap_or("")))
    }

    /// The key of a list line (`stem` without the negation), None for
    /// another line. After normalisation a list is either one line in list
    /// syntax or, when it names something invalid, kept as written (`add`
    /// lines and all): those lines identify only themselves.
    pub fn list_key<'a>(&self, stem: &'a str) -> Option<&'a str> {
        let prefix = self.list.prefix;
        let list = stem.strip_prefix(prefix)?.trim_start();
        let one_list = list == self.list.none
            || (!list.is_empty()
                && list
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b == b',' || b == b'-'));
        Some(if one_list {
            &stem[..prefix.len()]
        } else {
            stem
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A made-up platform: the algorithm follows whatever table it is
    /// given (`neg`, `seq`, `bind`, `members` are no platform's words).
    const TEST: KeyRules = KeyRules {
        negation: "neg ",
        sequenced: &["seq "],
        bindings: Bindings {
            within: "port ",
            commands: &["bind"],
            directions: &["up", "down"],
        },
        list: ListLine {
            prefix: "members",
            none: "empty",
        },
        single_value: &[
            SingleValue::new(Scope::Top, "domain", Value::Rest),
            SingleValue::new(Scope::Sections, "label", Value::Rest),
            SingleValue::new(Scope::Within("group "), "addr", Value::Word),
            SingleValue::new(Scope::Within("port "), "pair", Value::Id(&["link"])),
            SingleValue::new(Scope::Anywhere, "addr", Value::RestUnless(" extra")),
            SingleValue::new(Scope::Anywhere, "off", Value::Flag),
            SingleValue::new(Scope::Anywhere, "user * secret", Value::Rest),
            SingleValue::new(Scope::Anywhere, "size", Value::Word),
        ],
    };

    fn key<'a>(parent: Option<&str>, text: &'a str) -> Cow<'a, str> {
        TEST.key(parent, text)
    }

    #[test]
    fn scopes() {
        assert_eq!(key(None, "domain 10"), "domain");
        assert_eq!(key(Some("port 1"), "domain 10"), "domain 10");
        assert_eq!(key(Some("port 1"), "label a b"), "label");
        assert_eq!(key(None, "label a b"), "label a b");
        assert_eq!(key(Some("group 1"), "addr 10.0.0.1"), "addr");
        // Outside `group `, `addr` is the anywhere setting.
        assert_eq!(key(Some("port 1"), "addr 10.0.0.1 x"), "addr");
        assert_eq!(key(None, "size 9"), "size");
        assert_eq!(key(Some("port 1"), "size 9"), "size");
    }

    #[test]
    fn value_kinds() {
        // Flag: the name alone, negated or not.
        assert_eq!(key(None, "off"), "off");
        assert_eq!(key(None, "neg off"), "off");
        assert_eq!(key(None, "off now"), "off now");
        // Word: one word follows.
        assert_eq!(key(None, "size 9"), "size");
        assert_eq!(key(None, "size restore 9"), "size restore 9");
        assert_eq!(key(None, "sizes 9"), "sizes 9");
        // Rest: anything after a space, or nothing.
        assert_eq!(key(None, "domain"), "domain");
        assert_eq!(key(None, "domain 10 x y"), "domain");
        assert_eq!(key(None, "domains 10"), "domains 10");
        // RestUnless: not when the line ends with the word.
        assert_eq!(key(None, "addr 10.0.0.1 y"), "addr");
        assert_eq!(key(None, "addr 10.0.0.1 extra"), "addr 10.0.0.1 extra");
        assert_eq!(key(None, "addr"), "addr");
        // Id: a number or one of the words.
        let port = Some("port 1");
        assert_eq!(key(port, "pair 20"), "pair");
        assert_eq!(key(port, "pair link"), "pair");
        assert_eq!(key(port, "pair other"), "pair other");
        assert_eq!(key(port, "pair 20 x"), "pair 20 x");
        // A `*` is one word of the name.
        assert_eq!(key(None, "user bob secret 5 x"), "user bob secret");
        assert_eq!(key(None, "neg user bob secret"), "user bob secret");
        assert_eq!(key(None, "user bob role admin"), "user bob role admin");
        assert_eq!(key(None, "user secret"), "user secret");
    }

    #[test]
    fn sequences_bindings_and_lists() {
        assert_eq!(key(Some("seq a"), "20 permit all"), "20");
        assert_eq!(key(Some("seq a"), "remark x"), "remark x");
        assert_eq!(key(Some("other a"), "20 permit all"), "20 permit all");
        let port = Some("port 1");
        assert_eq!(key(port, "bind web up"), "bind up");
        assert_eq!(key(port, "neg bind web down"), "bind down");
        assert_eq!(key(port, "bind web"), "bind ");
        assert_eq!(key(port, "binder web up"), "binder web up");
        assert_eq!(key(None, "bind web up"), "bind web up");
        assert_eq!(key(port, "members 10-12,20"), "members");
        assert_eq!(key(port, "members empty"), "members");
        assert_eq!(key(port, "members add 30"), "members add 30");
        assert_eq!(key(port, "neg members 10"), "members");
    }
}
