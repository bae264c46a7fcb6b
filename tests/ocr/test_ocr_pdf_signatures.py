"""A PDF's digital signatures (who signed, when) are read from its signature fields.

The PDFs are built here: a page with a signature field per signer, whose value holds a CMS
signature made with a throw-away certificate (the byte range is not the file's: the
signature is evidence of a time and a name, not verified)."""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

from services.ocr.pdf_signatures import read
from services.parse.signings import signing_dates
from vanthu.events import PageText, TextArtifact


def _cms(common_name: str) -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=1)).sign(key, hashes.SHA256()))
    return (pkcs7.PKCS7SignatureBuilder().set_data(b"the document's bytes").add_signer(cert, key, hashes.SHA256())
            .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature]))


def signed_pdf(signatures: list[tuple[str, str]]) -> bytes:
    """A one-page PDF with a signature field for each (signer's common name, PDF date string)."""
    return _pdf_with([(_cms(signer), when) for signer, when in signatures])


def _pdf_with(signatures: list[tuple[bytes, str]]) -> bytes:
    """A one-page PDF with a signature field for each (its /Contents, PDF date string)."""
    fields = len(signatures)
    objects = [
        "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [{}] /SigFlags 3 >> >>".format(
            " ".join(f"{4 + 2 * i} 0 R" for i in range(fields))),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [{}] >>".format(
            " ".join(f"{4 + 2 * i} 0 R" for i in range(fields))),
    ]
    for i, (contents, when) in enumerate(signatures):
        objects.append(f"<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature{i + 1}) /Rect [0 0 0 0] "
                       f"/P 3 0 R /V {5 + 2 * i} 0 R >>")
        objects.append(f"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /M ({when}) "
                       f"/ByteRange [0 0 0 0] /Contents <{contents.hex()}> >>")
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_a_signature_whose_envelope_ends_in_zero_bytes_keeps_its_signer():
    # GIVEN a signature whose CMS envelope's last byte is 0 (one in 256 signatures), padded
    # with zeros in its field as signing systems pad it
    contents = next(c for c in (_cms("Ủy ban nhân dân tỉnh Quảng Ngãi") for _ in range(5000)) if c.endswith(b"\0"))
    found = read(_pdf_with([(contents + bytes(64), "D:20211227172211+07'00'")]))
    # THEN its signer is read, the envelope not cut at its own zero bytes
    assert [s.signer for s in found] == ["Ủy ban nhân dân tỉnh Quảng Ngãi"]


def test_each_signature_gives_its_signer_and_signing_time():
    pdf = signed_pdf([("Ủy ban nhân dân tỉnh Quảng Ngãi", "D:20211227172211+07'00'"),
                      ("Trung tâm Công báo và Tin học", "D:20211228080000+07'00'")])
    found = read(pdf)
    assert [s.signer for s in found] == ["Ủy ban nhân dân tỉnh Quảng Ngãi", "Trung tâm Công báo và Tin học"]
    assert found[0].signed_at == dt.datetime(2021, 12, 27, 17, 22, 11, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def test_the_signing_day_is_the_signers_local_day():
    # 00:30 on the 16th in Hanoi is still the 15th in UTC: the day is the one the signer saw
    found = read(signed_pdf([("Nguyễn Tuấn Anh", "D:20260516003000+07'00'")]))
    artifact = TextArtifact(document_id="x", media_type="application/pdf", signatures=found,
                            pages=[PageText(number=1, text="", source="ocr")])
    assert signing_dates(artifact) == [dt.date(2026, 5, 16)]


def test_a_gazettes_signature_is_not_a_signing_date():
    # GIVEN a document signed by its issuer, then published by the province's gazette the next day
    found = read(signed_pdf([("Trung tâm Công báo và Tin học", "D:20211228080000+07'00'"),
                             ("Ủy ban nhân dân tỉnh Quảng Ngãi", "D:20211227172211+07'00'")]))
    artifact = TextArtifact(document_id="x", media_type="application/pdf", signatures=found,
                            pages=[PageText(number=1, text="", source="ocr")])
    # THEN only the issuer's signature dates it
    assert signing_dates(artifact) == [dt.date(2021, 12, 27)]


def test_unsigned_or_unreadable_pdfs_have_no_signatures():
    assert read(signed_pdf([])) == []
    assert read(b"%PDF-1.7\nnot a pdf at all") == []
    # a signature whose time is not a PDF date is skipped, the others kept
    assert [s.signer for s in read(signed_pdf([("A", "yesterday"), ("B", "D:20250101120000Z")]))] == ["B"]
