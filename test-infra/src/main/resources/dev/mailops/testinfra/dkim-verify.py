# Verifies every DKIM-Signature of the RFC 5322 message on standard input with Debian's python3-dkim,
# looking the keys up at one DNS server (argv: host port) rather than the system's resolvers, with
# python3-dnspython. Prints one JSON object: {"signatures": [{"domain", "selector", "valid", "detail"}]}.
import json
import sys

import dkim
import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdatatype

host, port = sys.argv[1], int(sys.argv[2])
missing = []  # the names of the lookups that found no key record, with the server's answer code


def txt_at_server(name, timeout=5):
    """The TXT record of name as the given server answers it (over TCP when the UDP answer is truncated)."""
    qname = dns.name.from_text(name.decode("ascii") if isinstance(name, bytes) else name)
    query = dns.message.make_query(qname, dns.rdatatype.TXT)
    response = dns.query.udp(query, host, port=port, timeout=timeout)
    if response.flags & dns.flags.TC:
        response = dns.query.tcp(query, host, port=port, timeout=timeout)
    for rrset in response.answer:
        if rrset.rdtype == dns.rdatatype.TXT and rrset.name == qname:
            return b"".join(list(rrset)[0].strings)
    missing.append("no TXT record at %s (%s)" % (qname, dns.rcode.to_text(response.rcode())))
    return None


message = sys.stdin.buffer.read()
signatures = []
count = sum(1 for field, _ in dkim.DKIM(message).headers if field.lower() == b"dkim-signature")
for index in range(count):
    checked = dkim.DKIM(message)
    result = {"domain": None, "selector": None, "valid": False, "detail": ""}
    del missing[:]
    try:
        result["valid"] = bool(checked.verify(idx=index, dnsfunc=txt_at_server))
        result["detail"] = "verified" if result["valid"] else (missing or ["signature does not verify"])[0]
    except dkim.DKIMException as refused:
        result["detail"] = "%s: %s" % (type(refused).__name__, refused)
    except Exception as failed:  # a DNS timeout or an unreachable server: reported, not a verification
        result["detail"] = "%s: %s" % (type(failed).__name__, failed)
    # verify() parsed the signature's tags before anything could fail on the key or the body
    fields = getattr(checked, "signature_fields", None) or {}
    if fields:
        result["domain"] = fields.get(b"d", b"").decode("ascii", "replace")
        result["selector"] = fields.get(b"s", b"").decode("ascii", "replace")
    signatures.append(result)
print(json.dumps({"signatures": signatures}))
