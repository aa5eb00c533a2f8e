package dev.mailops.mailbox.domain;

/**
 * Makes a new key pair for a selector when the domain decides it needs one, keeps the private half
 * out of the domain's reach (sealed, on its way to the signer) and hands back the public half.
 */
@FunctionalInterface
public interface DkimKeySource {
    DkimPublicKey newKey(String selector);
}
