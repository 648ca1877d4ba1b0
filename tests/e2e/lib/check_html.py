#!/usr/bin/env python3
"""Checks a report page: well-formed (parsed as XML), self-contained (no script, no link,
image, font or style fetched from anywhere), and every chart an accessible SVG (a role, a
title and a description). usage: check_html.py FILE"""
import re
import sys
import xml.etree.ElementTree as ET

text = open(sys.argv[1], encoding="utf-8").read()
body = re.sub(r"^<!DOCTYPE html>\s*", "", text)
try:
    root = ET.fromstring(body)
except ET.ParseError as e:
    print("not well-formed:", e)
    sys.exit(1)
problems = []
for el in root.iter():
    tag = el.tag.split("}")[-1]
    if tag in ("script", "link", "img", "iframe", "object", "embed"):
        problems.append("element <%s>" % tag)
    for k, v in el.attrib.items():
        if k.split("}")[-1] in ("href", "src") or re.search(r"(https?:|//|url\()", v):
            problems.append("attribute %s=%r" % (k, v))
if re.search(r"https?://|@import|url\(", text):
    problems.append("a URL in the text or style")
svgs = [e for e in root.iter() if e.tag.split("}")[-1] == "svg"]
for s in svgs:
    kids = [c.tag.split("}")[-1] for c in s]
    if s.get("role") != "img" or "title" not in kids or "desc" not in kids:
        problems.append("a chart without role, title and description")
tables = [e for e in root.iter() if e.tag == "table"]
print("well-formed; %d tables, %d charts; %s" % (len(tables), len(svgs),
      "no external references" if not problems else "PROBLEMS: " + "; ".join(problems)))
sys.exit(1 if problems else 0)
