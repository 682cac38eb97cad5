//! A folder of bad files beside good ones: every bad file is named with a reason, every good
//! file is indexed, and the exit code says something was skipped.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{hit_ids, kamerzoek, run, run_json, s, temp_dir, write_synthetic_letters};

const GOOD_MOTIE: &str = "Tweede Kamer der Staten-Generaal\n\
Vergaderjaar 2024–2025\n\
28345 Aanpak huiselijk geweld\n\
Nr. 999 MOTIE VAN HET LID TEMMINK\n\
Voorgesteld 12 maart 2025\n\
De Kamer,\n\
gehoord de beraadslaging,\n\
constaterende dat de vrouwenopvang structureel te weinig plekken heeft;\n\
verzoekt de regering de opvangcapaciteit uit te breiden,\n\
en gaat over tot de orde van de dag.\n\
Temmink\n";

#[test]
fn bad_files_are_reported_and_good_ones_indexed() {
    let dir = temp_dir("bad-input");
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    for i in 0..3 {
        std::fs::write(
            docs.join(format!("good-{i}.txt")),
            GOOD_MOTIE.replace("999", &format!("99{i}")),
        )
        .unwrap();
    }
    // Latin-1 text is decoded, not skipped.
    let latin1: Vec<u8> =
        "Financi\u{eb}le gevolgen van de co\u{f6}rdinatie\n\nDe minister schrijft over opvang.\n"
            .chars()
            .map(|c| c as u32 as u8)
            .collect();
    std::fs::write(docs.join("latin1.txt"), latin1).unwrap();
    // Also accepted: invalid UTF-8 in the middle, a very long line, a document of only headings.
    let mut mid = "Geachte voorzitter,\n\nDe opvang wordt uitgebreid. "
        .repeat(50)
        .into_bytes();
    mid.insert(700, 0xff);
    std::fs::write(docs.join("invalid-utf8-middle.txt"), mid).unwrap();
    std::fs::write(docs.join("long-line.txt"), "opvang ".repeat(300_000)).unwrap();
    std::fs::write(
        docs.join("only-headings.txt"),
        "1. Aanleiding\n2. Geadviseerd besluit\n3. Kernpunten\n4. Toelichting\n",
    )
    .unwrap();
    let accepted = 7;
    let bad: &[(&str, &[u8])] = &[
        ("empty.txt", b""),
        ("whitespace.txt", b"  \n\t\n"),
        (
            "binary.bin",
            &[0u8, 159, 146, 150, 0, 1, 2, 3, 0, 0, 255, 254],
        ),
        ("nul-bytes.txt", b"Geachte voorzitter,\0\0\0 de opvang"),
        (
            "truncated.xml",
            b"<?xml version=\"1.0\"?><officiele-publicatie><kamerstuk><dossier>",
        ),
        (
            "malformed.xml",
            b"<?xml version=\"1.0\"?><officiele-publicatie><a></b></officiele-publicatie>",
        ),
        (
            "other-schema.xml",
            b"<?xml version=\"1.0\"?><rss><channel><title>x</title></channel></rss>",
        ),
    ];
    for (name, bytes) in bad {
        std::fs::write(docs.join(name), bytes).unwrap();
    }
    // A symlink loop and an unreadable file (root can read a mode-000 file, so that case counts
    // only when not root).
    std::os::unix::fs::symlink(&docs, docs.join("loop")).unwrap();
    let unreadable = docs.join("unreadable.txt");
    std::fs::write(&unreadable, GOOD_MOTIE).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&unreadable, std::fs::Permissions::from_mode(0o000)).unwrap();
    let is_root = std::fs::read(&unreadable).is_ok();
    // Unreadable even for root: a Unix socket (open() fails with ENXIO) and a regular file whose
    // read fails (a process's own memory at address 0 gives EIO).
    let _socket = std::os::unix::net::UnixListener::bind(docs.join("socket.txt")).unwrap();
    std::os::unix::fs::symlink("/proc/self/mem", docs.join("proc-mem.txt")).unwrap();
    assert!(std::fs::read(docs.join("proc-mem.txt")).is_err());
    let index = dir.join("index");
    let out = run(&["index", s(&docs), "--index", s(&index), "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "skipped files give exit code 1: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    let skipped: Vec<String> = summary["run"]["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["path"].as_str().unwrap().to_string())
        .collect();
    for (name, _) in bad {
        assert!(
            skipped.iter().any(|p| p.ends_with(name)),
            "{name} not reported: {skipped:?}"
        );
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("empty.txt"),
        "stderr names the file: {stderr}"
    );
    assert!(
        skipped.iter().any(|p| p.ends_with("loop")),
        "symlink loop not reported: {skipped:?}"
    );
    if !is_root {
        assert!(
            skipped.iter().any(|p| p.ends_with("unreadable.txt")),
            "{skipped:?}"
        );
    }
    let reason = |name: &str| {
        summary["run"]["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["path"].as_str().unwrap().ends_with(name))
            .map(|x| x["reason"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("{name} not reported: {skipped:?}"))
    };
    assert_eq!(reason("socket.txt"), "not a regular file (socket)");
    assert!(
        reason("proc-mem.txt").contains("Input/output error"),
        "{}",
        reason("proc-mem.txt")
    );
    let want = accepted + usize::from(is_root);
    assert_eq!(
        summary["index"]["documents"].as_u64(),
        Some(want as u64),
        "{summary}"
    );
    // Every reason is words.
    for s in summary["run"]["skipped"].as_array().unwrap() {
        assert!(!s["reason"].as_str().unwrap().is_empty());
    }
    std::fs::set_permissions(&unreadable, std::fs::Permissions::from_mode(0o644)).unwrap();
}

/// `kamerzoek index DOCS --index INDEX --format json`: exit code, summary, stderr.
fn index_folder(docs: &std::path::Path, index: &std::path::Path) -> (Option<i32>, Value, String) {
    let out = run(&["index", s(docs), "--index", s(index), "--format", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let summary = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    (out.status.code(), summary, stderr)
}

#[test]
fn a_file_indexed_with_a_warning_is_named() {
    let dir = temp_dir("warnings");
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    // The bundled beslisnota without its Kernpunten heading.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let nota = std::fs::read_to_string(root.join("corpus/beslisnota-jeugdzorg.txt")).unwrap();
    let without: String = nota
        .lines()
        .filter(|l| !l.contains("Kernpunten"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(docs.join("nota.txt"), without).unwrap();
    std::fs::write(docs.join("motie.txt"), GOOD_MOTIE).unwrap();
    let index = dir.join("index");
    let (code, summary, stderr) = index_folder(&docs, &index);
    assert_eq!(code, Some(0), "a warning is not a failure");
    assert_eq!(summary["index"]["documents"], 2);
    let warnings = summary["run"]["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0]["path"].as_str().unwrap().ends_with("nota.txt"));
    assert_eq!(
        warnings[0]["warning"],
        "beslisnota without a Kernpunten heading"
    );
    assert!(
        stderr.contains("warning") && stderr.contains("nota.txt"),
        "{stderr}"
    );
    // Unchanged on a second run: nothing parsed, nothing to warn about.
    let (_, again, _) = index_folder(&docs, &index);
    assert_eq!(again["run"]["warnings"].as_array().unwrap().len(), 0);
}

#[test]
fn a_file_over_the_size_limit_is_skipped_unread() {
    let dir = temp_dir("huge-file");
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(docs.join("good.txt"), GOOD_MOTIE).unwrap();
    // Sparse: 257 MB long, no disk blocks; reading it would still take 257 MB of memory.
    let huge = std::fs::File::create(docs.join("disk-image.txt")).unwrap();
    huge.set_len(257 << 20).unwrap();
    drop(huge);
    let (code, summary, _) = index_folder(&docs, &dir.join("index"));
    assert_eq!(code, Some(1), "a skipped file sets exit code 1");
    assert_eq!(summary["index"]["documents"], 1);
    let skipped = summary["run"]["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(
        skipped[0]["path"]
            .as_str()
            .unwrap()
            .ends_with("disk-image.txt")
    );
    assert_eq!(
        skipped[0]["reason"], "file of 257 MB exceeds the 256 MB limit",
        "{skipped:?}"
    );
}

#[test]
fn a_50_mb_text_file_is_indexed() {
    let dir = temp_dir("big-file");
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    let para = "De gemeenten breiden de vrouwenopvang uit en de staatssecretaris informeert de Kamer over de voortgang van de aanpak.\n\n";
    std::fs::write(docs.join("big.txt"), para.repeat(50_000_000 / para.len())).unwrap();
    let (code, summary, stderr) = index_folder(&docs, &dir.join("index"));
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(summary["index"]["documents"], 1);
    assert!(
        summary["index"]["sections"].as_u64().unwrap() > 100,
        "a long body is cut into parts"
    );
}

/// A letter as Word on Windows saves it: Windows-1252 quotes, dashes, euro sign and ellipsis
/// (bytes 0x80–0x9F, which Latin-1 does not have), seven of them in about 9 KB.
fn windows_1252_letter() -> Vec<u8> {
    let mut b = b"Tweede Kamer der Staten-Generaal\nPostbus 20018\n2500 EA Den Haag\n\n\
        Datum 14 maart 2025\nBetreft Voortgang aanpak vrouwenopvang\n\nGeachte voorzitter,\n\n\
        Met deze brief informeer ik uw Kamer over de \x93Voortgangsrapportage vrouwenopvang\x94. \
        Het kabinet stelt \x80 12,5 miljoen beschikbaar voor extra opvangplekken \x96 verdeeld over \
        de centrumgemeenten. De VNG spreekt van een \x91noodzakelijke eerste stap\x92\x85\n\n"
        .to_vec();
    for i in 0..60 {
        b.extend(
            format!(
                "In regio {i} breiden de gemeenten de opvang uit en werken zij samen met Valente \
                 aan veilige plekken voor slachtoffers van huiselijk geweld.\n\n"
            )
            .bytes(),
        );
    }
    b.extend(b"Hoogachtend,\n\nde staatssecretaris van Volksgezondheid, Welzijn en Sport\n");
    b
}

/// A 20 KB Latin-1 letter with only three accented letters.
fn long_latin1_letter() -> Vec<u8> {
    let mut b =
        b"Datum 3 april 2025\nBetreft Samenwerking in de jeugdzorg\n\nGeachte voorzitter,\n\n\
        De co\xf6rdinatie tussen de regio's verbetert.\n\n"
            .to_vec();
    while b.len() < 10_000 {
        b.extend(
            b"De gemeenten werken aan meer plekken in de jeugdzorg en informeren de Kamer.\n\n",
        );
    }
    b.extend(b"De financi\xeble gevolgen zijn beperkt.\n\n");
    while b.len() < 20_000 {
        b.extend(
            b"De gemeenten werken aan meer plekken in de jeugdzorg en informeren de Kamer.\n\n",
        );
    }
    b.extend(b"Er komt \xe9\xe9n loket.\n");
    b
}

#[test]
fn windows_1252_and_sparse_latin1_decode_to_the_right_characters() {
    let dir = temp_dir("encodings");
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(docs.join("windows-1252-brief.txt"), windows_1252_letter()).unwrap();
    std::fs::write(docs.join("latin1-lang.txt"), long_latin1_letter()).unwrap();

    let parsed = |name: &str| {
        let doc = run_json(&["parse", s(&docs.join(name)), "--format", "json"], 0);
        let text: String = doc["sections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["text"].as_str().unwrap())
            .collect::<Vec<_>>()
            .join("\n");
        let warnings = doc["warnings"].to_string();
        (text, warnings)
    };
    let (text, warnings) = parsed("windows-1252-brief.txt");
    for want in [
        "“Voortgangsrapportage vrouwenopvang”",
        "€ 12,5 miljoen",
        "opvangplekken – verdeeld",
        "‘noodzakelijke eerste stap’…",
    ] {
        assert!(text.contains(want), "{want} missing from {text}");
    }
    assert!(!text.contains('\u{FFFD}'), "{text}");
    assert!(warnings.contains("decoded as Windows-1252"), "{warnings}");
    let (text, warnings) = parsed("latin1-lang.txt");
    for want in ["coördinatie", "financiële", "één loket"] {
        assert!(text.contains(want), "{want} missing");
    }
    assert!(!text.contains('\u{FFFD}'));
    assert!(warnings.contains("decoded as Windows-1252"), "{warnings}");

    // Indexed and found by the words beside the marks and by the accented words.
    let index = dir.join("index");
    let summary = run_json(
        &["index", s(&docs), "--index", s(&index), "--format", "json"],
        0,
    );
    assert_eq!(summary["index"]["documents"], 2);
    for (query, doc) in [
        ("noodzakelijke", "windows-1252-brief"),
        ("voortgangsrapportage", "windows-1252-brief"),
        ("coördinatie", "latin1-lang"),
        ("financiële", "latin1-lang"),
    ] {
        let r = run_json(
            &["search", query, "--index", s(&index), "--format", "json"],
            0,
        );
        assert_eq!(hit_ids(&r), [doc], "{query}");
    }
}

#[test]
fn a_file_that_vanishes_during_the_run_is_reported() {
    // The file must disappear after the walk listed it and before it is read. The first commit
    // comes after the walk, so deleting the last file then is a vanishing mid-run, unless the
    // run already read it; then try again with a folder twice as large.
    for attempt in 0..4 {
        let n = 3000 << attempt;
        let dir = temp_dir("vanishing");
        let docs = dir.join("docs");
        write_synthetic_letters(&docs, n);
        let victim = docs.join(format!("brief-{:05}.txt", n - 1));
        let index = dir.join("index");
        let mut child = kamerzoek()
            .args(["index", s(&docs), "--index", s(&index)])
            .args([
                "--batch-size",
                "50",
                "--commit-secs",
                "0",
                "--format",
                "json",
            ])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        while child.try_wait().unwrap().is_none() && Instant::now() < deadline {
            let st = run(&["stats", "--index", s(&index), "--format", "json"]);
            let committed = serde_json::from_slice::<Value>(&st.stdout)
                .ok()
                .and_then(|v| v["documents"].as_u64())
                .unwrap_or(0);
            if committed > 0 {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let deleted = child.try_wait().unwrap().is_none() && std::fs::remove_file(&victim).is_ok();
        let out = child.wait_with_output().unwrap();
        let summary: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        let skipped = summary["run"]["skipped"].as_array().unwrap();
        let Some(entry) = skipped.iter().find(|x| {
            x["path"]
                .as_str()
                .unwrap()
                .ends_with(&format!("brief-{:05}.txt", n - 1))
        }) else {
            eprintln!("attempt {attempt}: {n} files, deleted={deleted}, read before it vanished");
            continue;
        };
        assert!(deleted);
        let reason = entry["reason"].as_str().unwrap();
        assert!(reason.contains("No such file"), "{reason}");
        assert_eq!(skipped.len(), 1, "{skipped:?}");
        assert_eq!(out.status.code(), Some(1), "skipped files give exit code 1");
        assert_eq!(summary["run"]["files"].as_u64(), Some(n as u64));
        assert_eq!(summary["run"]["indexed"].as_u64(), Some(n as u64 - 1));
        assert_eq!(summary["index"]["documents"].as_u64(), Some(n as u64 - 1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("brief-{:05}.txt", n - 1)),
            "{stderr}"
        );
        return;
    }
    panic!("the file was read before it could be deleted in every attempt");
}
