#!/usr/bin/python3
# mail-catcher.py: the stack's SMTP catcher (aiosmtpd writing a Maildir) with a fault mode: drop the connection after the end of DATA, before the reply.
#
#   mail-catcher.py [--drop-after-data N] HOST:PORT MAILDIR
#
# Every message is stored in MAILDIR (new/) as aiosmtpd's Mailbox handler
# does (X-Peer, X-MailFrom, X-RcptTo), plus X-Caught-At (epoch seconds) for
# when it was stored. With --drop-after-data N the first N messages are
# stored and then the connection is cut without an answer: the client never
# sees the 250 of a message the server kept, the duplicate-delivery window
# of SMTP (tests/integration/435-outbox-possible-duplicate.t). Each drop is
# one line on stderr naming the Message-ID.
import argparse
import asyncio
import sys
import time

from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import SMTP


class Catcher(Mailbox):
    def __init__(self, maildir, drops):
        super().__init__(maildir)
        self.drops = drops

    async def handle_DATA(self, server, session, envelope):
        message = self.prepare_message(session, envelope)
        message["X-Caught-At"] = "%.6f" % time.time()
        self.handle_message(message)
        if self.drops > 0:
            self.drops -= 1
            print("mail-catcher: stored %s, then dropped the connection before the 250"
                  % message.get("Message-ID", "(no Message-ID)"), file=sys.stderr, flush=True)
            server.transport.abort()
            return "421 connection dropped"  # never reaches the client
        return "250 OK"


def main():
    ap = argparse.ArgumentParser(description="SMTP catcher writing a Maildir")
    ap.add_argument("--drop-after-data", type=int, default=0, metavar="N",
                    help="store the first N messages, then cut the connection before the 250")
    ap.add_argument("listen", help="HOST:PORT")
    ap.add_argument("maildir")
    args = ap.parse_args()
    host, _, port = args.listen.rpartition(":")
    handler = Catcher(args.maildir, args.drop_after_data)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(
        loop.create_server(lambda: SMTP(handler), host=host or "127.0.0.1", port=int(port)))
    print("mail-catcher: listening on %s, Maildir %s, dropping after DATA %d time(s)"
          % (args.listen, args.maildir, args.drop_after_data), file=sys.stderr, flush=True)
    try:
        loop.run_forever()
    finally:
        server.close()


if __name__ == "__main__":
    main()
