"""Writes small, valid one-page PDFs with a text layer (seeds for the `pdf` fuzz target):
uncompressed content streams, so libFuzzer's mutations reach the text operators directly.
Usage: python3 minipdf.py OUT_DIR"""
import sys, os

def pdf(lines, font=b"/Helvetica", extra_ops=b""):
    content = b"BT /F1 11 Tf 72 770 Td 14 TL\n" + extra_ops
    for line in lines:
        esc = line.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        content += b"(" + esc + b") Tj T*\n"
    content += b"ET\n"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont " + font + b" /Encoding /WinAnsiEncoding >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += str(i).encode() + b" 0 obj\n" + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 " + str(len(objs) + 1).encode() + b"\n0000000000 65535 f \n"
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size " + str(len(objs) + 1).encode() + b" /Root 1 0 R >>\n"
    out += b"startxref\n" + str(xref).encode() + b"\n%%EOF\n"
    return out

letter = [
    b"Ministerie van Volksgezondheid, Welzijn en Sport",
    b"Aan de Voorzitter van de Tweede Kamer der Staten-Generaal",
    b"Datum 14 november 2024",
    b"Kenmerk 3912345-1067890-PG",
    b"Betreft Capaciteit vrouwenopvang",
    b"Geachte voorzitter,",
    b"Met deze brief informeer ik uw Kamer over de motie van het lid Temmink",
    b"(Kamerstuk 29279, nr. 890) over de vrouwenopvang.[footnoteRef:1]",
    b"Hoogachtend,",
    b"de staatssecretaris van Volksgezondheid, Welzijn en Sport",
]
motie = [
    b"Tweede Kamer der Staten-Generaal",
    b"De Kamer,",
    b"gehoord de beraadslaging,",
    b"constaterende dat de vrouwenopvang vol zit;",
    b"verzoekt de regering de opvang uit te breiden,",
    b"en gaat over tot de orde van de dag.",
    b"Temmink",
]
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
open(os.path.join(out, "mini-letter.pdf"), "wb").write(pdf(letter))
open(os.path.join(out, "mini-motie.pdf"), "wb").write(pdf(motie, font=b"/Times-Roman"))
# Text placed by absolute positions (margin column at the right, as in a Kamerbrief).
open(os.path.join(out, "mini-margin.pdf"), "wb").write(
    pdf(letter[:3], extra_ops=b"1 0 0 1 450 700 Tm (Kenmerk) Tj 1 0 0 1 450 686 Tm (2024-0000123) Tj 1 0 0 1 72 600 Tm\n"))
open(os.path.join(out, "empty-page.pdf"), "wb").write(pdf([]))
