#!/usr/bin/python3
# What Flathub's quality guidelines ask of the merged metainfo beyond `appstreamcli
# validate`: a primary brand colour for each colour scheme, and every screenshot caption
# translated into each language of po/LINGUAS.
#
# Usage: test-metainfo.py METAINFO.xml LINGUAS

import re
import sys
import xml.etree.ElementTree as ET

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def main(metainfo, linguas):
    with open(linguas, encoding="utf-8") as f:
        languages = [w for line in f for w in line.split("#")[0].split()]
    root = ET.parse(metainfo).getroot()
    failures = []

    colours = {c.get("scheme_preference"): (c.text or "").strip()
               for c in root.findall("./branding/color[@type='primary']")}
    for scheme in ("light", "dark"):
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", colours.get(scheme, "")):
            failures.append(f"no primary brand colour for the {scheme} scheme")
    if colours.get("light") == colours.get("dark"):
        failures.append("the light and dark brand colours are the same")

    for shot in root.findall("./screenshots/screenshot"):
        captions = shot.findall("caption")
        source = next((c.text for c in captions if c.get(XML_LANG) is None), None)
        if not source:
            failures.append("a screenshot has no caption")
            continue
        for lang in languages:
            if not any(c.get(XML_LANG) == lang for c in captions):
                failures.append(f"caption “{source}” is not translated into {lang}")

    for failure in failures:
        print(failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
