"""Verifies a message's DKIM-Signature with python3-dkim (Debian), not with the signer's own code.

Usage: /usr/bin/python3 dkim_verify.py MESSAGE_FILE DNS_NAME TXT_RECORD
The key is looked up only at DNS_NAME (<selector>._domainkey.<domain>.), where TXT_RECORD is served, so
a signature that names another selector or domain does not verify. Prints True or False; exit 0 or 1.
"""
import sys

import dkim

message_file, dns_name, record = sys.argv[1], sys.argv[2], sys.argv[3]


def dnsfunc(name, timeout=5):
    if isinstance(name, bytes):
        name = name.decode()
    return record.encode() if name.rstrip('.').lower() == dns_name.rstrip('.').lower() else None


with open(message_file, 'rb') as f:
    verified = dkim.verify(f.read(), dnsfunc=dnsfunc)
print(verified)
sys.exit(0 if verified else 1)
