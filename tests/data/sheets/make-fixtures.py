#!/usr/bin/env python3
# make-fixtures.py: writes the hand-made .xlsx/.ods fixtures of tests/core/test-sheet.c (the
# tricky and hostile ones a spreadsheet program would never write). factures.xlsx and
# factures.ods come from LibreOffice instead:
#   soffice --headless --convert-to xlsx factures.fods; soffice --headless --convert-to ods factures.fods
import os
import struct
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
RELS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
PKG_RELS = 'http://schemas.openxmlformats.org/package/2006/relationships'
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CONTENT_TYPES = XML + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/></Types>')
ROOT_RELS = XML + (
    f'<Relationships xmlns="{PKG_RELS}"><Relationship Id="rId1" '
    f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')


def xlsx(name, sheets, shared=None, styles=None, date1904=False, extra=None):
    """sheets: list of (sheet name, sheet xml body inside <worksheet>, target)."""
    wb_sheets = ''.join(f'<sheet name="{n}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
                        for i, (n, _, _) in enumerate(sheets))
    pr = '<workbookPr date1904="1"/>' if date1904 else '<workbookPr/>'
    workbook = XML + (f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}">{pr}'
                      f'<sheets>{wb_sheets}</sheets></workbook>')
    rels = ''.join(f'<Relationship Id="rId{i + 1}" Type="{RELS}/worksheet" Target="{t}"/>'
                   for i, (_, _, t) in enumerate(sheets))
    n = len(sheets)
    if shared is not None:
        rels += f'<Relationship Id="rId{n + 1}" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
    if styles is not None:
        rels += f'<Relationship Id="rId{n + 2}" Type="{RELS}/styles" Target="styles.xml"/>'
    with zipfile.ZipFile(os.path.join(HERE, name), 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml', CONTENT_TYPES)
        z.writestr('_rels/.rels', ROOT_RELS)
        z.writestr('xl/workbook.xml', workbook)
        z.writestr('xl/_rels/workbook.xml.rels', XML + f'<Relationships xmlns="{PKG_RELS}">{rels}</Relationships>')
        for _, body, target in sheets:
            path = target[1:] if target.startswith('/') else 'xl/' + target
            z.writestr(path, body if body.startswith('<?xml') or body.startswith('<!') or not body.startswith('<')
                       else XML + f'<worksheet xmlns="{MAIN}" xmlns:r="{RELS}">{body}</worksheet>')
        if shared is not None:
            z.writestr('xl/sharedStrings.xml', XML + f'<sst xmlns="{MAIN}">{shared}</sst>')
        if styles is not None:
            z.writestr('xl/styles.xml', XML + f'<styleSheet xmlns="{MAIN}">{styles}</styleSheet>')
        for path, data in (extra or {}).items():
            z.writestr(path, data)


STYLES = (
    '<numFmts count="4">'
    '<numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
    '<numFmt numFmtId="165" formatCode="[h]:mm"/>'
    '<numFmt numFmtId="166" formatCode="#,##0.00\\ &quot;€&quot;;[Red]\\-#,##0.00\\ &quot;€&quot;"/>'
    '<numFmt numFmtId="167" formatCode="[$-40C]mmm\\ yyyy"/>'
    '</numFmts>'
    '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>'
    '<cellXfs count="7">'
    '<xf numFmtId="0"/>'       # 0 General
    '<xf numFmtId="164"/>'     # 1 custom date
    '<xf numFmtId="165"/>'     # 2 elapsed hours: a number
    '<xf numFmtId="166"/>'     # 3 currency: a number
    '<xf numFmtId="14"/>'      # 4 built-in date
    '<xf numFmtId="22"/>'      # 5 built-in date and time
    '<xf numFmtId="167"/>'     # 6 month and year: a date
    '</cellXfs>')

SHARED = (
    '<si><t>Numéro</t></si>'                                                  # 0
    '<si><r><rPr><b/></rPr><t>Client </t></r><r><t>principal</t></r></si>'    # 1 rich text
    '<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></si>'           # 2 phonetic run
    '<si><t xml:space="preserve">  espaces  </t></si>'                       # 3
    '<si><t>Ligne 1_x000D_\nLigne 2</t></si>'                                 # 4 escaped CR
    '<si><t>Martin &amp; Fils</t></si>')                                      # 5

TRICKY = (
    '<dimension ref="A1:H9"/><sheetData>'
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
    '<c r="C1" t="inlineStr"><is><t>Échéance</t></is></c>'
    '<c r="D1" t="inlineStr"><is><r><t>Mon</t></r><r><rPr><i/></rPr><t>tant</t></r></is></c></row>'
    '<row r="2"><c r="A2" t="s"><v>5</v></c><c r="B2" t="s"><v>2</v></c>'
    '<c r="C2" s="1"><v>46027</v></c><c r="D2" s="3"><v>1234.5599999999999</v></c>'
    '<c r="E2"><v>7.0000000000000007E-2</v></c><c r="F2" s="2"><v>1.5</v></c>'
    '<c r="G2" s="6"><v>46027</v></c><c r="H2" s="5"><v>46032.604166666664</v></c></row>'
    # no r on the row nor the cells: they follow on
    '<row><c t="s"><v>3</v></c><c s="4"><v>45000</v></c><c><v>1E+15</v></c>'
    '<c t="b"><v>1</v></c><c t="b"><v>0</v></c><c t="e"><v>#N/A</v></c></row>'
    '<row r="5" spans="1:8"><c r="A5" s="4"/><c r="B5" t="s"/></row>'
    '<row r="7"><c r="B7" t="str"><f>A2&amp;"!"</f><v>Martin &amp; Fils!</v></c>'
    '<c r="C7"><f>SUM(D2:D6)</f><v>1440.5</v></c><c r="D7" t="d"><v>2026-03-15T00:00:00</v></c>'
    '<c r="E7" t="d"><v>2026-03-15T09:45:30.000</v></c><c r="F7"><v>-0.5</v></c>'
    '<c r="G7"><v>123456789012345</v></c><c r="H7" t="s"><v>4</v></c></row>'
    '<row r="9"><c r="AA9" t="inlineStr"><is><t>loin</t></is></c></row>'
    '</sheetData><mergeCells count="1"><mergeCell ref="A9:C9"/></mergeCells>')

SECOND = '<sheetData><row r="12"><c r="C12" t="inlineStr"><is><t>douze</t></is></c></row></sheetData>'


def ods(name, content, mimetype='application/vnd.oasis.opendocument.spreadsheet'):
    with zipfile.ZipFile(os.path.join(HERE, name), 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo('mimetype'), mimetype)
        z.writestr('META-INF/manifest.xml', XML + (
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            '</manifest:manifest>'))
        z.writestr('content.xml', content)


ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/"')


def ods_content(tables):
    return XML + (f'<office:document-content {ODS_NS} office:version="1.3"><office:body>'
                  f'<office:spreadsheet>{tables}</office:spreadsheet></office:body>'
                  '</office:document-content>')


def cell(text, repeat=1):
    rep = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ''
    return f'<table:table-cell office:value-type="string"{rep}><text:p>{text}</text:p></table:table-cell>'


EMPTY_ROWS = ('<table:table-row table:number-rows-repeated="1048576">'
              '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>')

REPEATED = ods_content(
    '<table:table table:name="Relevé"><table:table-column table:number-columns-repeated="16384"/>'
    '<table:table-header-rows><table:table-row>' + cell('Code') + cell('Libellé') +
    '<table:table-cell table:number-columns-repeated="16380"/>' + cell('XFD') +
    '</table:table-row></table:table-header-rows>'
    # three identical rows written once, with a value repeated on two columns
    '<table:table-row table:number-rows-repeated="3">' + cell('idem', 2) +
    '<table:table-cell office:value-type="float" office:value="1.5E3" calcext:value-type="float">'
    '<text:p>1 500</text:p></table:table-cell>'
    '<table:table-cell table:number-columns-repeated="16381"/></table:table-row>'
    '<table:table-row table:number-rows-repeated="4"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    '<table:table-row>'
    '<table:table-cell office:value-type="string"><office:annotation><dc:creator>Moi</dc:creator>'
    '<text:p>une note</text:p></office:annotation><text:p>A<text:s text:c="3"/>B<text:tab/>C'
    '<text:line-break/><text:span>D </text:span>  E</text:p></table:table-cell>'
    '<table:table-cell office:value-type="time" office:time-value="PT14H30M00S"><text:p>14:30</text:p></table:table-cell>'
    '<table:table-cell office:value-type="date" office:date-value="2026-01-31T00:00:00"><text:p>31/01</text:p></table:table-cell>'
    '<table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>VRAI</text:p></table:table-cell>'
    '<table:table-cell table:number-columns-spanned="2" office:value-type="float" office:value="0.07">'
    '<text:p>7 %</text:p></table:table-cell><table:covered-table-cell/>'
    '<table:table-cell><text:p>sans type</text:p></table:table-cell>'
    '</table:table-row>' + EMPTY_ROWS + '</table:table>'
    '<table:table table:name="Feuille vide">' + EMPTY_ROWS + '</table:table>')

BOMB_DTD = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
            + ''.join(f' <!ENTITY lol{i} "' + (f'&lol{i - 1};' if i > 1 else '&lol;') * 10 + '">\n'
                      for i in range(1, 10))
            + ']>\n')


def patch_size(name, member, usize):
    """Makes the zip's central directory claim @usize bytes for @member: the header lies."""
    path = os.path.join(HERE, name)
    data = bytearray(open(path, 'rb').read())
    target = member.encode()
    i = data.find(b'PK\x01\x02')
    while i >= 0:
        name_len, = struct.unpack_from('<H', data, i + 28)
        if data[i + 46:i + 46 + name_len] == target:
            struct.pack_into('<I', data, i + 24, usize)
        i = data.find(b'PK\x01\x02', i + 4)
    open(path, 'wb').write(data)


def main():
    xlsx('tricky.xlsx', [('Données', TRICKY, 'worksheets/sheet1.xml'),
                         ("Factures 2026", SECOND, '/xl/worksheets/other.xml')],
         shared=SHARED, styles=STYLES)
    xlsx('date1904.xlsx', [('Feuil1', '<sheetData><row r="1"><c r="A1" s="1"><v>0</v></c>'
                            '<c r="B1" s="1"><v>44565</v></c><c r="C1" s="2"><v>44565.75</v></c>'
                            '<c r="D1" s="1"><v>0.25</v></c></row></sheetData>',
                            'worksheets/sheet1.xml')],
         styles='<cellXfs><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="22"/></cellXfs>',
         date1904=True)
    ods('repeated.ods', REPEATED)

    # Hostile and broken files
    xlsx('doctype.xlsx', [('Feuil1', BOMB_DTD + f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">'
                           '<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>',
                           'worksheets/sheet1.xml')])
    ods('external-entity.ods', '<?xml version="1.0"?>\n<!DOCTYPE office:document-content [\n'
        ' <!ENTITY secret SYSTEM "file:///etc/passwd">\n]>\n'
        + ods_content('<table:table table:name="Feuil1"><table:table-row>' + cell('&secret;')
                      + '</table:table-row></table:table>').replace(XML, ''))
    xlsx('not-xml.xlsx', [('Feuil1', 'PK garbage <row><c>\n\n<unclosed', 'worksheets/sheet1.xml')])
    xlsx('missing-sheet.xlsx', [('Feuil1', '<sheetData/>', 'worksheets/sheet1.xml')])
    # the workbook names a worksheet the archive does not have
    src = os.path.join(HERE, 'missing-sheet.xlsx')
    with zipfile.ZipFile(src) as z:
        members = {n: z.read(n) for n in z.namelist() if 'worksheets' not in n}
    with zipfile.ZipFile(src, 'w', zipfile.ZIP_DEFLATED) as z:
        for n, d in members.items():
            z.writestr(n, d)
    xlsx('lying-size.xlsx', [('Feuil1', '<sheetData/>', 'worksheets/sheet1.xml')])
    patch_size('lying-size.xlsx', 'xl/worksheets/sheet1.xml', 300 * 1024 * 1024)
    xlsx('ratio.xlsx', [('Feuil1', '<sheetData/>', 'worksheets/sheet1.xml')])
    patch_size('ratio.xlsx', 'xl/worksheets/sheet1.xml', 50 * 1024 * 1024)
    with zipfile.ZipFile(os.path.join(HERE, 'document.docx'), 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml', CONTENT_TYPES)
        z.writestr('word/document.xml', XML + '<w:document xmlns:w="urn:w"/>')
    ods('text.odt', ods_content(''), 'application/vnd.oasis.opendocument.text')
    full = open(os.path.join(HERE, 'factures.xlsx'), 'rb').read()
    open(os.path.join(HERE, 'truncated.xlsx'), 'wb').write(full[:len(full) // 2])
    # bytes of a PNG named .xlsx, and the start of an old binary Excel file
    open(os.path.join(HERE, 'binary.xlsx'), 'wb').write(
        b'\x89PNG\r\n\x1a\n' + bytes((i * 37 + 11) % 256 for i in range(2000)))
    open(os.path.join(HERE, 'legacy.xls'), 'wb').write(
        bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) + bytes(504))


main()
