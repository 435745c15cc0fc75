package io.kube4j.apiserver.admission;

import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.authz.Attributes;
import io.kube4j.apiserver.authz.Authorizer;

/**
 * Whether a user may act for a certificate signer, as upstream's certificates.IsAuthorizedForSignerName: the verb
 * ({@code approve}, {@code sign}) on resource {@code signers} of certificates.k8s.io named after the signer, or
 * failing that on the signer's whole domain ({@code example.com/*}).
 */
final class SignerAuthorization {

    static final String GROUP = "certificates.k8s.io";
    static final String CSRS = "certificatesigningrequests";

    private final Authorizer authorizer;

    SignerAuthorization(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    boolean allowed(UserInfo user, String verb, String signerName) {
        if (user == null) {
            return false;
        }
        if (authorizer.authorize(user, signer(verb, signerName)).allowed()) {
            return true;
        }
        int slash = signerName.indexOf('/');
        String domain = slash < 0 ? signerName : signerName.substring(0, slash);
        return authorizer.authorize(user, signer(verb, domain + "/*")).allowed();
    }

    private static Attributes signer(String verb, String name) {
        return Attributes.resource(verb, GROUP, "signers", "", "", name);
    }
}
