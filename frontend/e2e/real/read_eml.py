"""Reads .eml files for the e2e specs: stdin a JSON list of paths, stdout one JSON object per
file with to, subject, the text and HTML bodies, and the attachments' names. The standard
library's e-mail parser, so the specs read the message as a mail client would."""

import json
import sys
from email import policy
from email.parser import BytesParser

out = []
for path in json.load(sys.stdin):
    with open(path, "rb") as fh:
        msg = BytesParser(policy=policy.default).parse(fh)
    text = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    out.append(
        {
            "path": path,
            "to": str(msg["To"]),
            "subject": str(msg["Subject"]),
            "text": text.get_content() if text else "",
            "html": html.get_content() if html else "",
            "attachments": [p.get_filename() for p in msg.iter_attachments()],
        }
    )
json.dump(out, sys.stdout)
