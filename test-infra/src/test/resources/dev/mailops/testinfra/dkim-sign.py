# Signs the message on standard input with Debian's python3-dkim (argv: selector domain PKCS#1-PEM-key-file)
# and prints it with its DKIM-Signature header field on top: the tests' signer, not the one under test.
import sys

import dkim

selector, domain, key_file = sys.argv[1].encode(), sys.argv[2].encode(), sys.argv[3]
message = sys.stdin.buffer.read()
with open(key_file, "rb") as key:
    signature = dkim.sign(message, selector, domain, key.read(), canonicalize=(b"relaxed", b"relaxed"))
sys.stdout.buffer.write(signature + message)
