//! A light Dutch stemmer: folds inflection (plural -en/-s/-'s, -e, -heden, the -t of a verb
//! in -dt) to one form without the over-stemming of Snowball Dutch (geweld → wel, gemeente →
//! meen, gebied → bied).
//!
//! The aim is that singular and plural meet (motie = moties, kamerbrief = kamerbrieven,
//! gemeente = gemeenten, geval = gevallen, bijlage = bijlagen), an inflected adjective its base
//! form (grote = groot, kwetsbare = kwetsbaar, effectieve = effectief) and a verb's forms in -dt
//! its infinitive (vindt = vinden), while unrelated words stay apart (gebied ≠ bieden, motie ≠
//! motief, beleid ≠ leiden).

use rustc_hash::FxHashMap;

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// Lengths of the endings that suffix rules in the overrides may name.
pub(crate) const SUFFIX_RULE_MIN: usize = 4;
pub(crate) const SUFFIX_RULE_MAX: usize = 8;

/// The stemmer's overrides (`index-schema/analysis/stem-overrides.tsv`): whole words mapped to
/// their stem, and suffix rules (`*leden → *lid`) that carry irregular plurals into compounds.
/// The two are kept apart because every new word probes the suffix rules, and there are few.
#[derive(Debug, Default)]
pub(crate) struct Overrides {
    words: FxHashMap<String, String>,
    /// (ending, its length in characters, replacement), longest ending first.
    suffixes: Vec<(String, usize, String)>,
}

impl Overrides {
    /// Adds a line of the overrides file: `word → stem`, or `*ending → *replacement`.
    pub(crate) fn insert(&mut self, word: &str, stem: &str) {
        match word.strip_prefix('*') {
            Some(ending) => {
                let replacement = stem.trim_start_matches('*').to_string();
                self.suffixes.retain(|(e, _, _)| e != ending);
                self.suffixes
                    .push((ending.to_string(), ending.chars().count(), replacement));
                self.suffixes
                    .sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            }
            None => {
                self.words.insert(word.to_string(), stem.to_string());
            }
        }
    }

    /// The whole-word overrides: `(word, stem)`.
    pub(crate) fn words(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.words.iter().map(|(w, s)| (w.as_str(), s.as_str()))
    }

    /// The suffix rules: `(ending, replacement)`, without the `*`.
    pub(crate) fn suffixes(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.suffixes
            .iter()
            .map(|(e, _, r)| (e.as_str(), r.as_str()))
    }
}

/// Whether `w` ends with the ASCII ending `s` and is longer than it.
fn ends(w: &[char], s: &str) -> bool {
    w.len() > s.len() && w.iter().rev().zip(s.chars().rev()).all(|(a, b)| *a == b)
}

/// Stems one folded, lowercase word.
pub(crate) fn stem(word: &str, overrides: &Overrides) -> String {
    if let Some(s) = overrides.words.get(word) {
        return s.clone();
    }
    let n = word.chars().count();
    // The longest ending a rule may take leaves at least three characters of the word.
    let longest = SUFFIX_RULE_MAX.min(n.saturating_sub(3));
    for (ending, len, replacement) in &overrides.suffixes {
        if (SUFFIX_RULE_MIN..=longest).contains(len)
            && let Some(head) = word.strip_suffix(ending.as_str())
        {
            return format!("{head}{replacement}");
        }
    }
    if n <= 3 || word.chars().any(|c| !c.is_alphabetic()) && !word.ends_with("'s") {
        return word.to_string();
    }
    let mut w: Vec<char> = word.chars().collect();
    // vindt → vind, houdt → houd: the -t of a verb's third person after a stem in -d (a word
    // in -dt is nearly always one; werkt, markt and recht cannot be told apart without a
    // lexicon, so only -dt).
    if ends(&w, "dt") && w.len() >= 4 {
        w.pop();
        return w.into_iter().collect();
    }
    if ends(&w, "'s") {
        w.truncate(w.len() - 2);
        return finish_e(w);
    }
    if ends(&w, "heden") {
        w.truncate(w.len() - 5);
        w.extend("heid".chars());
        return w.into_iter().collect();
    }
    let mut stripped_en = false;
    if ends(&w, "en") && w.len() >= 5 {
        w.truncate(w.len() - 2);
        stripped_en = true;
    } else if ends(&w, "s") && w.len() >= 5 {
        let before = w[w.len() - 2];
        // `-s` plurals follow e or r/l/n/m (slachtoffers, campagnes, moties); a final s
        // elsewhere is part of the stem (proces, crisis, status).
        if matches!(before, 'e' | 'r' | 'l' | 'n' | 'm') {
            w.pop();
        }
    }
    if stripped_en {
        return closed_syllable(w);
    }
    finish_e(w)
}

/// The stem's spelling where an ending -en or -e no longer follows it, as the word is spelt
/// without the ending: gevall → geval, brievv → brief, jar → jaar.
fn closed_syllable(mut w: Vec<char>) -> String {
    // gevall → geval, staatssecretariss → staatssecretaris
    let n = w.len();
    // A doubled consonant marks a short vowel: undouble, and do not lengthen below.
    let doubled = n >= 3 && w[n - 1] == w[n - 2] && !is_vowel(w[n - 1]);
    if doubled {
        w.pop();
    }
    let n = w.len();
    // brieven → brief, huizen → huis, effectieve → effectief; prijzen → prijs (the ij of
    // Dutch counts as a vowel).
    if n >= 3 && (is_vowel(w[n - 2]) || w[n - 2] == 'j' && w[n - 3] == 'i') {
        match w[n - 1] {
            'v' => w[n - 1] = 'f',
            'z' => w[n - 1] = 's',
            _ => {}
        }
    }
    // jaren → jaar, zaken → zaak, grote → groot, kwetsbare → kwetsbaar: an open syllable had a
    // long vowel.
    let n = w.len();
    if n >= 3
        && !doubled
        && !is_vowel(w[n - 1])
        && matches!(w[n - 2], 'a' | 'o' | 'u')
        && !is_vowel(w[n - 3])
    {
        let v = w[n - 2];
        w.insert(n - 1, v);
    }
    w.into_iter().collect()
}

/// Drops a final -e (gemeente → gemeent, organisatie → organisati, financiele → financiel), so
/// that forms with and without it meet; the stem is then spelt as a closed syllable (grote →
/// groot, effectieve → effectief, dikke → dik), as for -en.
fn finish_e(mut w: Vec<char>) -> String {
    if w.len() >= 5 && w.last() == Some(&'e') && w[w.len() - 2] != 'e' {
        w.pop();
        return closed_syllable(w);
    }
    w.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let o = Overrides::default();
        let same = [
            ("motie", "moties"),
            ("kamerbrief", "kamerbrieven"),
            ("slachtoffer", "slachtoffers"),
            ("gemeente", "gemeenten"),
            ("geval", "gevallen"),
            ("toezegging", "toezeggingen"),
            ("maatregel", "maatregelen"),
            ("organisatie", "organisaties"),
            ("ministerie", "ministeries"),
            ("pleger", "plegers"),
            ("melding", "meldingen"),
            ("campagne", "campagnes"),
            ("staatssecretaris", "staatssecretarissen"),
            ("financiele", "financiele"),
            ("regio", "regio's"),
            ("gelijkheid", "gelijkheden"),
            ("jaar", "jaren"),
            ("zaak", "zaken"),
            ("minister", "ministers"),
            ("brief", "brieven"),
            ("regering", "regeringen"),
            ("groot", "grote"),
            ("kwetsbaar", "kwetsbare"),
            ("duurzaam", "duurzame"),
            ("effectief", "effectieve"),
            ("alternatief", "alternatieve"),
            ("nationaal", "nationale"),
            ("dik", "dikke"),
            ("prijs", "prijzen"),
            ("bewijs", "bewijzen"),
            ("methode", "methoden"),
            ("procedure", "procedures"),
            ("vinden", "vindt"),
            ("plaatsvinden", "plaatsvindt"),
            ("houden", "houdt"),
        ];
        for (a, b) in same {
            assert_eq!(stem(a, &o), stem(b, &o), "{a} / {b}");
        }
        let apart = [
            ("gebied", "bieden"),
            ("geweld", "wel"),
            ("gemeente", "menen"),
            ("motie", "motief"),
            ("beleid", "leiden"),
            ("gelijkheid", "lijken"),
        ];
        for (a, b) in apart {
            assert_ne!(stem(a, &o), stem(b, &o), "{a} / {b}");
        }
        assert_eq!(stem("geweld", &o), "geweld");
        assert_eq!(stem("beleid", &o), "beleid");
        assert_eq!(stem("2024d38217", &o), "2024d38217");
    }

    #[test]
    fn suffix_rules_take_the_longest_ending_and_leave_three_letters() {
        let mut o = Overrides::default();
        o.insert("*leden", "*lid");
        o.insert("*verleden", "*verleden");
        o.insert("kinderen", "kind");
        assert_eq!(stem("kamerleden", &o), "kamerlid");
        // The longer rule wins over the shorter one that also matches.
        assert_eq!(stem("oververleden", &o), "oververleden");
        // `leden` itself leaves fewer than three letters: the rule does not apply.
        assert_eq!(stem("leden", &o), "led");
        assert_eq!(stem("kinderen", &o), "kind");
        assert_eq!(
            o.suffixes().collect::<Vec<_>>(),
            [("verleden", "verleden"), ("leden", "lid")]
        );
        assert_eq!(o.words().collect::<Vec<_>>(), [("kinderen", "kind")]);
    }
}
