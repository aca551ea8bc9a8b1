#!/usr/bin/env python3
# make-facturx.py: writes the PDF fixtures of test-einvoice.c with the Python standard
# library only, so that they can be rebuilt without qpdf or a Factur-X toolkit:
#
#   facturx.pdf          one page, factur-x.xml (cii-invoice-fr.xml) embedded as Factur-X
#                        does it (/EmbeddedFiles name tree, /AF, /AFRelationship /Data),
#                        next to an unrelated notes.txt attachment;
#   zugferd.pdf          the same with ZUGFeRD-invoice.xml (cii-credit-note.xml);
#   xrechnung-ubl.pdf    xrechnung.xml holding UBL (ubl-invoice.xml), not CII;
#   plain.pdf            one page and no attachment at all;
#   truncated.pdf        facturx.pdf cut in the middle of its attachment;
#   attachment-bomb.pdf  a factur-x.xml that claims 2 kB but inflates to 32 MB of blanks,
#                        more than the reader's 20 MB cap.
#
# Run it from anywhere: python3 tests/data/einvoices/make-facturx.py. The output is
# byte-for-byte reproducible (fixed dates, zlib level 9).
import os
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
DATE = b"D:20240415120000+02'00'"


def pdf_string(text):
    return b"(" + text.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def stream(dictionary, data, compress=True):
    if compress:
        data = zlib.compress(data, 9)
        dictionary += b" /Filter /FlateDecode"
    return (b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data)
            + data + b"\nendstream")


def xmp(title):
    return (b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
            b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
            b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            b'<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">'
            b'<pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>'
            b'</rdf:Description>'
            b'<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            b'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">' + title + b'</rdf:li></rdf:Alt>'
            b'</dc:title></rdf:Description>'
            b'<rdf:Description rdf:about="" xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:'
            b'invoice:1p0#"><fx:DocumentType>INVOICE</fx:DocumentType>'
            b'<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName><fx:Version>1.0</fx:Version>'
            b'<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel></rdf:Description>'
            b'</rdf:RDF></x:xmpmeta>\n<?xpacket end="w"?>')


def build_pdf(title, attachments):
    """attachments: list of (name, data, claimed_size, relationship, compressed data or None)."""
    objects = []  # bytes of object n at index n - 1

    def add(body):
        objects.append(body)
        return len(objects)

    catalog = add(None)
    pages = add(None)
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    content = add(stream(b"", b"BT /F1 18 Tf 72 760 Td " + pdf_string(title) + b" Tj ET"))
    page = add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
               b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
               % (pages, font, content))
    objects[pages - 1] = b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % page
    metadata = add(stream(b"/Type /Metadata /Subtype /XML", xmp(title), compress=False))

    specs = []
    for name, data, claimed, relationship, packed in attachments:
        if packed is None:
            packed = zlib.compress(data, 9)
        subtype = b"/text#2Fxml" if name.endswith(b".xml") else b"/text#2Fplain"
        embedded = add(b"<< /Type /EmbeddedFile /Subtype " + subtype
                       + b" /Params << /Size %d /ModDate " % claimed + pdf_string(DATE[:-1] + b"'")
                       + b" >> /Filter /FlateDecode /Length %d >>\nstream\n" % len(packed)
                       + packed + b"\nendstream")
        spec = add(b"<< /Type /Filespec /F " + pdf_string(name) + b" /UF " + pdf_string(name)
                   + b" /Desc " + pdf_string(b"Invoice data") + b" /AFRelationship /" + relationship
                   + b" /EF << /F %d 0 R /UF %d 0 R >> >>" % (embedded, embedded))
        specs.append((name, spec))

    catalog_body = b"<< /Type /Catalog /Pages %d 0 R /Metadata %d 0 R" % (pages, metadata)
    if specs:
        specs.sort()  # a name tree's keys are sorted
        tree = b" ".join(pdf_string(name) + b" %d 0 R" % spec for name, spec in specs)
        catalog_body += (b" /Names << /EmbeddedFiles << /Names [" + tree + b"] >> >> /AF ["
                         + b" ".join(b"%d 0 R" % spec for _, spec in specs) + b"]")
    objects[catalog - 1] = catalog_body + b" >>"

    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += (b"trailer\n<< /Size %d /Root %d 0 R /ID [<52656c616e6365> <52656c616e6365>] >>\n"
            b"startxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref))
    return bytes(out)


def read(name):
    with open(os.path.join(HERE, name), "rb") as f:
        return f.read()


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def main():
    notes = b"Delivery notes: roof repaired on 10 April 2024.\n"
    invoice = read("cii-invoice-fr.xml")
    facturx = build_pdf(b"Facture F2024-0042", [
        (b"factur-x.xml", invoice, len(invoice), b"Data", None),
        (b"notes.txt", notes, len(notes), b"Supplement", None),
    ])
    write("facturx.pdf", facturx)

    credit = read("cii-credit-note.xml")
    write("zugferd.pdf", build_pdf(b"Avoir AV2024-0007", [
        (b"ZUGFeRD-invoice.xml", credit, len(credit), b"Alternative", None),
    ]))

    # XRechnung allows UBL, but a Factur-X/ZUGFeRD PDF must carry CII: refused.
    ubl = read("ubl-invoice.xml")
    write("xrechnung-ubl.pdf", build_pdf(b"Invoice INV-2024-1187", [
        (b"xrechnung.xml", ubl, len(ubl), b"Alternative", None),
    ]))

    write("plain.pdf", build_pdf(b"Devis 2024-12", []))

    # Cut in the middle of the embedded factur-x.xml stream, the first attachment object.
    cut = facturx.index(b"/Type /EmbeddedFile") + 400
    write("truncated.pdf", facturx[:cut])

    # Compressed piece by piece: the blanks never exist in memory here either.
    bomb = zlib.compressobj(9)
    packed = bomb.compress(b"<?xml version=\"1.0\"?>\n<rsm:CrossIndustryInvoice>")
    block = b" " * (1024 * 1024)
    for _ in range(32):
        packed += bomb.compress(block)
    packed += bomb.compress(b"</rsm:CrossIndustryInvoice>\n") + bomb.flush()
    write("attachment-bomb.pdf", build_pdf(b"Facture", [
        (b"factur-x.xml", None, 2048, b"Data", packed),
    ]))


if __name__ == "__main__":
    main()
