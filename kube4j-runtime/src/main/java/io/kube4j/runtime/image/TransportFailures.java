package io.kube4j.runtime.image;

import javax.net.ssl.SSLException;

/**
 * Turns what the JDK throws when a registry endpoint cannot be reached (refused connections, TLS
 * failures, a plain-HTTP server on an https URL) into a sentence that says what to configure.
 */
final class TransportFailures {
    private TransportFailures() {
    }

    /** The https attempt reached a server that answered in plain HTTP. */
    static boolean isPlainHttp(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException && t.getMessage() != null && t.getMessage().contains("nrecognized SSL message")) {
                return true;
            }
        }
        return false;
    }

    /** False when the server is not there or does not speak TLS at all. */
    static boolean speaksTls(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException) {
                return false;
            }
        }
        return !isPlainHttp(e);
    }

    static String explain(Throwable e, RegistryConfig.Endpoint endpoint) {
        if (isPlainHttp(e)) {
            return "the server speaks plain HTTP, not HTTPS: write the endpoint as http://" + endpoint.host() + " in registries.yaml";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException && t.getMessage() != null && t.getMessage().startsWith("Received fatal alert")) {
                // The registry turned down this side of the handshake, which is nearly always a missing client certificate.
                return "the registry refused the TLS handshake (" + t.getMessage() + "): if it requires a client certificate, set "
                        + "configs.\"" + endpoint.host() + "\".tls.cert_file and key_file in registries.yaml";
            }
            if (t instanceof SSLException) {
                return "TLS handshake failed (" + describe(t) + "): if the registry's certificate is signed by a private CA, set "
                        + "configs.\"" + endpoint.host() + "\".tls.ca_file in registries.yaml";
            }
            if (endedByServer(t) && endpoint.baseUrl().startsWith("https:")
                    && (endpoint.tls() == null || endpoint.tls().certFile() == null)) {
                // TLS 1.3: the client's side of the handshake is done before the server checks the client's
                // certificate, so a refusal may arrive as a closed or reset connection instead of the server's alert.
                return "the registry closed the connection after the TLS handshake (" + describe(e) + "): if it requires a "
                        + "client certificate, set configs.\"" + endpoint.host() + "\".tls.cert_file and key_file in registries.yaml";
            }
        }
        return describe(e);
    }

    /** The server ended the connection: closed it, or reset it (an alert followed by a reset reads as the reset). */
    private static boolean endedByServer(Throwable t) {
        return t instanceof java.nio.channels.ClosedChannelException
                || (t instanceof java.net.SocketException && t.getMessage() != null
                        && t.getMessage().startsWith("Connection reset"));
    }

    /** The JDK's connection errors often carry no message of their own. */
    static String describe(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof java.net.ConnectException) {
                return "connection refused";
            }
        }
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        if (t.getMessage() != null) {
            return t.getMessage();
        }
        return t.getClass().getSimpleName();
    }
}
