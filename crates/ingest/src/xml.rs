//! officielebekendmakingen Kamerstuk XML (`<officiele-publicatie><kamerstuk>`): metadata from
//! `<meta>` where present, otherwise from `<kamerstukkop>`, `<dossier>` and `<stuk>`; the body from
//! `<al>` paragraphs.

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::error::ErrorKind;

/// What the XML holds, before it becomes a [`crate::Document`].
#[derive(Debug, Default)]
pub(crate) struct KamerstukXml {
    /// `<meta name=… content=…>` pairs, in order.
    pub meta: Vec<(String, String)>,
    pub vergaderjaar: Option<String>,
    pub kamer: Option<String>,
    pub dossiers: Vec<String>,
    pub dossier_title: Option<String>,
    pub ondernummer: Option<String>,
    pub stuk_title: Option<String>,
    pub isodate: Option<String>,
    /// Body paragraphs, in order.
    pub paragraphs: Vec<String>,
    /// Signatures: the paragraphs of an `<al-groep>` of names, each at most
    /// [`SIGNATURE_MAX_WORDS`] words (see [`Group::close`]).
    pub signatures: Vec<String>,
}

/// Words a signature has at most ("Diederik van Dijk", "Van der Plas-Bruins").
const SIGNATURE_MAX_WORDS: usize = 6;

/// The `<al-groep>` being read. Motions put their signatures in one, but also a verzoek
/// with its `<lijst>` of points and the dictum (769 of the 7,539 motions in the corpus), so
/// its paragraphs wait until it closes to be told apart.
#[derive(Debug, Default)]
struct Group {
    /// Nesting depth of `<al-groep>` elements (the paragraphs of nested ones count as the
    /// outermost's).
    depth: usize,
    paragraphs: Vec<String>,
    has_list: bool,
}

impl Group {
    /// Files the closed group's paragraphs: all signatures when every one is short enough to
    /// be a name and there is no list; otherwise body text, except short paragraphs after the
    /// dictum ("en gaat over tot de orde van de dag."), which are the signatures that follow it.
    fn close(&mut self, out: &mut KamerstukXml) {
        let mut paragraphs = std::mem::take(&mut self.paragraphs);
        let has_list = std::mem::take(&mut self.has_list);
        let name_like = |p: &str| p.split_whitespace().count() <= SIGNATURE_MAX_WORDS;
        if !has_list && paragraphs.iter().all(|p| name_like(p)) {
            out.signatures.extend(paragraphs);
            return;
        }
        let body_end = paragraphs
            .iter()
            .rposition(|p| crate::sections::is_dictum(p))
            .map_or(paragraphs.len(), |i| i + 1);
        let tail = paragraphs.split_off(body_end);
        out.paragraphs.extend(paragraphs);
        for p in tail {
            if name_like(&p) {
                out.signatures.push(p);
            } else {
                out.paragraphs.push(p);
            }
        }
    }
}

impl KamerstukXml {
    /// The first metadata value of `name`.
    pub fn meta(&self, name: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.trim().is_empty())
    }

    /// All metadata values of `name`.
    pub fn metas(&self, name: &str) -> Vec<&str> {
        self.meta
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// Parses the XML.
///
/// # Errors
/// [`ErrorKind::Xml`] for malformed or truncated XML, [`ErrorKind::UnknownSchema`] for another root.
pub(crate) fn parse(text: &str) -> Result<KamerstukXml, ErrorKind> {
    let mut reader = Reader::from_str(text);
    let mut out = KamerstukXml::default();
    let mut stack: Vec<String> = Vec::new();
    let mut buf_text = String::new();
    // A dossier's or stuk's title as written, children's text included (`CO<inf>2</inf>`,
    // `<extref>Wet ...</extref>`), joined when its `</titel>` closes.
    let mut title_text = String::new();
    let mut root_checked = false;
    let mut group = Group::default();
    let xml_err = |reader: &Reader<&[u8]>, e: String| ErrorKind::Xml {
        position: reader.buffer_position(),
        message: e,
    };
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| xml_err(&reader, e.to_string()))?;
        match ev {
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                if !root_checked {
                    if name != "officiele-publicatie" {
                        return Err(ErrorKind::UnknownSchema(name));
                    }
                    root_checked = true;
                }
                match name.as_str() {
                    "al" => buf_text.clear(),
                    "al-groep" => group.depth += 1,
                    "lijst" if group.depth > 0 => group.has_list = true,
                    _ => {}
                }
                if name == "ondernummer" {
                    for a in e.attributes().flatten() {
                        if a.key.as_ref() == "kamer" {
                            out.kamer = Some(if a.value.as_ref() == "1" {
                                "I".into()
                            } else {
                                "II".into()
                            });
                        }
                    }
                }
                if name == "datum" && stack.iter().any(|s| s == "stuk") && out.isodate.is_none() {
                    for a in e.attributes().flatten() {
                        if a.key.as_ref() == "isodatum" {
                            out.isodate = Some(a.value.to_string());
                        }
                    }
                }
                stack.push(name);
            }
            Event::Empty(e) => {
                let name = e.name().as_ref().to_string();
                if !root_checked {
                    return Err(ErrorKind::UnknownSchema(name));
                }
                if name == "meta" {
                    let (mut n, mut c) = (String::new(), String::new());
                    for a in e.attributes().flatten() {
                        let v = a
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .map(|v| v.into_owned())
                            .unwrap_or_default();
                        match a.key.as_ref() {
                            "name" => n = v,
                            "content" => c = v,
                            _ => {}
                        }
                    }
                    out.meta.push((n, c));
                }
            }
            Event::Text(t) => {
                let s = t.xml10_content().into_owned();
                text_into(&mut out, &stack, &s, &mut buf_text, &mut title_text);
            }
            Event::GeneralRef(r) => {
                let s = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::resolve_predefined_entity(&r)
                        .unwrap_or_default()
                        .to_string(),
                };
                text_into(&mut out, &stack, &s, &mut buf_text, &mut title_text);
            }
            Event::CData(t) => {
                let s = t.into_inner().into_owned();
                text_into(&mut out, &stack, &s, &mut buf_text, &mut title_text);
            }
            Event::End(e) => {
                let name = e.name().as_ref().to_string();
                if name == "al" {
                    let para = crate::clean::collapse(&buf_text);
                    if !para.is_empty() {
                        if group.depth > 0 {
                            group.paragraphs.push(para);
                        } else {
                            out.paragraphs.push(para);
                        }
                    }
                    buf_text.clear();
                } else if name == "titel" {
                    close_title(&mut out, &stack, &title_text);
                    title_text.clear();
                } else if name == "al-groep" && group.depth > 0 {
                    group.depth -= 1;
                    if group.depth == 0 {
                        group.close(&mut out);
                    }
                }
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !root_checked {
        return Err(ErrorKind::Xml {
            position: reader.buffer_position(),
            message: "no root element".into(),
        });
    }
    if !stack.is_empty() {
        return Err(ErrorKind::Xml {
            position: reader.buffer_position(),
            message: format!(
                "truncated: <{}> is not closed",
                stack.last().map(String::as_str).unwrap_or("?")
            ),
        });
    }
    Ok(out)
}

/// Sets the stuk's or dossier's title from the text of a `<titel>` that closes (`stack` still
/// holds it). A stuk's titles join with a space; a dossier keeps its first.
fn close_title(out: &mut KamerstukXml, stack: &[String], text: &str) {
    let in_ = |n: &str| stack.iter().any(|x| x == n);
    let title = crate::clean::collapse(text.trim());
    if title.is_empty() {
        return;
    }
    if in_("stuk") {
        let t = out.stuk_title.get_or_insert_with(String::new);
        if !t.is_empty() {
            t.push(' ');
        }
        t.push_str(&title);
    } else if in_("dossier") && out.dossier_title.is_none() {
        out.dossier_title = Some(title);
    }
}

fn text_into(
    out: &mut KamerstukXml,
    stack: &[String],
    s: &str,
    al: &mut String,
    title: &mut String,
) {
    let in_ = |n: &str| stack.iter().any(|x| x == n);
    let top = stack.last().map(String::as_str).unwrap_or("");
    if in_("al") {
        al.push_str(s);
        return;
    }
    if in_("titel") && (in_("stuk") || in_("dossier")) {
        title.push_str(s);
        return;
    }
    let s_trim = s.trim();
    if s_trim.is_empty() {
        return;
    }
    match top {
        "tekstregel" if in_("kamerstukkop") && s_trim.starts_with("Vergaderjaar") => {
            out.vergaderjaar = s_trim
                .split_whitespace()
                .nth(1)
                .map(|v| v.replace('–', "-"));
        }
        "dossiernr" => out.dossiers.push(s_trim.to_string()),
        // `<dossiernr>21 501</dossiernr>-<raadnr>02</raadnr>`, `<begrotingshoofdstuk>XVI<…>`:
        // the toevoeging belongs to the dossier's key.
        "raadnr" | "begrotingshoofdstuk" => {
            if let Some(last) = out.dossiers.last_mut() {
                last.push('-');
                last.push_str(s_trim);
            }
        }
        "ondernummer" => out.ondernummer = Some(s_trim.to_string()),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_carry_positions_and_schema() {
        match parse("<?xml version=\"1.0\"?><officiele-publicatie><kamerstuk><dossier>") {
            Err(ErrorKind::Xml { message, .. }) => {
                assert!(message.contains("truncated"), "{message}")
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            parse("<rss><channel/></rss>").unwrap_err(),
            ErrorKind::UnknownSchema("rss".into())
        );
        assert!(matches!(
            parse("<officiele-publicatie><a></b></officiele-publicatie>"),
            Err(ErrorKind::Xml { .. })
        ));
    }

    #[test]
    fn reads_body_and_kop() {
        let x = parse(r#"<officiele-publicatie><metadata><meta name="OVERHEIDop.indiener" content="H.D. Heutink"/></metadata><kamerstuk><kamerstukkop><tekstregel inhoud="vergaderjaar">Vergaderjaar 2023-2024</tekstregel></kamerstukkop><dossier><dossiernummer><dossiernr>19 637</dossiernr></dossiernummer><titel>Vreemdelingenbeleid</titel></dossier><stuk><stuknr>Nr. <ondernummer kamer="2">3185</ondernummer></stuknr><titel>MOTIE VAN HET LID KOEKKOEK</titel><datumtekst>Voorgesteld <datum isodatum="2023-12-21">21 december 2023</datum></datumtekst><al>De Kamer &amp; de <i>regering</i>,</al><al-groep><al>Koekkoek</al></al-groep></stuk></kamerstuk></officiele-publicatie>"#).unwrap();
        assert_eq!(x.vergaderjaar.as_deref(), Some("2023-2024"));
        assert_eq!(x.dossiers, vec!["19 637"]);
        assert_eq!(x.ondernummer.as_deref(), Some("3185"));
        assert_eq!(x.isodate.as_deref(), Some("2023-12-21"));
        assert_eq!(x.paragraphs, vec!["De Kamer & de regering,"]);
        assert_eq!(x.signatures, vec!["Koekkoek"]);
        assert_eq!(x.meta("OVERHEIDop.indiener"), Some("H.D. Heutink"));
        assert_eq!(x.kamer.as_deref(), Some("II"));
    }

    /// Text inside a title's children (a subscript, a reference to a law) and after them was
    /// dropped: 8 of the 7,539 real motions had a dossier title cut off at `CO` or `(`.
    #[test]
    fn a_title_keeps_the_text_of_its_children() {
        let x = parse(
            "<officiele-publicatie><kamerstuk><dossier><titel>Beperking van de CO<inf>2</inf>-emissie \
             (<extref doc=\"t\">Trb. 2010, 272</extref>)</titel></dossier><stuk><titel>MOTIE VAN DE \
             L<inf>DEN</inf> PAULUSMA &amp; BUSHOFF</titel><al>De Kamer,</al></stuk></kamerstuk>\
             </officiele-publicatie>",
        )
        .unwrap();
        assert_eq!(
            x.dossier_title.as_deref(),
            Some("Beperking van de CO2-emissie (Trb. 2010, 272)")
        );
        assert_eq!(
            x.stuk_title.as_deref(),
            Some("MOTIE VAN DE LDEN PAULUSMA & BUSHOFF")
        );
    }

    /// Motions group a verzoek with its lists, and even the dictum, in `<al-groep>` as they do
    /// their signatures: such text is body text, and only names after the dictum sign.
    #[test]
    fn a_group_of_text_is_body_and_only_names_sign() {
        let wrap = |body: &str| {
            format!(
                "<officiele-publicatie><kamerstuk><stuk>{body}</stuk></kamerstuk></officiele-publicatie>"
            )
        };
        let x = parse(&wrap(
            "<al>De Kamer,</al><al-groep><al>verzoekt de regering:</al><lijst><li><li.nr>•</li.nr>\
             <al>te overleggen met</al></li></lijst><al>en gaat over tot de orde van de dag.</al>\
             <al>Kathmann</al></al-groep><al-groep><al>Van der Plas</al><al>Bikker</al></al-groep>",
        ))
        .unwrap();
        assert_eq!(
            x.paragraphs,
            [
                "De Kamer,",
                "verzoekt de regering:",
                "te overleggen met",
                "en gaat over tot de orde van de dag."
            ]
        );
        assert_eq!(x.signatures, ["Kathmann", "Van der Plas", "Bikker"]);
        // No list, but a paragraph longer than a name: text, nested groups included.
        let x = parse(&wrap(
            "<al-groep><al>overwegende dat asielzoekers ook met het ov kunnen reizen;</al>\
             <al-groep><al>verzoekt de regering,</al></al-groep></al-groep>\
             <al>en gaat over tot de orde van de dag.</al><al-groep><al>Vondeling</al></al-groep>",
        ))
        .unwrap();
        assert_eq!(
            x.paragraphs,
            [
                "overwegende dat asielzoekers ook met het ov kunnen reizen;",
                "verzoekt de regering,",
                "en gaat over tot de orde van de dag."
            ]
        );
        assert_eq!(x.signatures, ["Vondeling"]);
    }
}
