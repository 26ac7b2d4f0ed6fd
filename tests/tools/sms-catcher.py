#!/usr/bin/python3
"""sms-catcher.py: a local SMS gateway for the private stack; stores each SMS as a JSON file.

usage: sms-catcher.py PORT DIR   (listens on 127.0.0.1:PORT, POST /sms)
"""
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(sys.argv[1])
DIR = sys.argv[2]
os.makedirs(DIR, exist_ok=True)
counter = 0


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        global counter
        if self.path != "/sms":
            self.send_error(404)
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length <= 0 or length > 65536:
            self.send_error(400)
            return
        try:
            msg = json.loads(self.rfile.read(length))
            to, text = msg["to"], msg["text"]
            assert isinstance(to, str) and isinstance(text, str)
        except Exception:
            self.send_error(400)
            return
        counter += 1
        name = "%d-%06d.json" % (time.time_ns(), counter)
        tmp = os.path.join(DIR, "." + name)
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump({"to": to, "text": text, "sender": msg.get("sender")}, f, ensure_ascii=False)
        os.rename(tmp, os.path.join(DIR, name))
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, fmt, *args):
        sys.stderr.write("sms-catcher: " + (fmt % args) + "\n")


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
