package io.kube4j.cli.agent;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the cluster CA from the {@code kube-public/cluster-info} ConfigMap, which the API server lets anyone read.
 * The connection is deliberately unverified: nothing here is trusted until the caller has checked the CA against
 * the join token's hash.
 */
public final class ClusterInfo {

    static final String PATH = "/api/v1/namespaces/kube-public/configmaps/cluster-info";
    private static final Pattern CA_DATA = Pattern.compile("certificate-authority-data:\\s*(\\S+)");

    private ClusterInfo() {
    }

    /** The CA certificate (PEM text) the server at {@code serverUrl} publishes. */
    public static String fetchCaPem(String serverUrl) {
        URI uri = URI.create(serverUrl.replaceAll("/+$", "") + PATH);
        HttpsURLConnection connection;
        try {
            if (!"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("--server must be an https:// URL, not " + serverUrl);
            }
            connection = (HttpsURLConnection) uri.toURL().openConnection();
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("--server " + serverUrl + " is not a usable URL: " + e.getMessage());
        }
        connection.setSSLSocketFactory(unverified().getSocketFactory());
        connection.setHostnameVerifier((host, session) -> true);
        connection.setConnectTimeout(10_000);
        connection.setReadTimeout(10_000);
        try {
            int code = connection.getResponseCode();
            if (code != 200) {
                throw new IllegalStateException("the server at " + serverUrl + " answered " + code
                        + " for kube-public/cluster-info: it is not a kube4j server, or too old to let agents join");
            }
            try (InputStream in = connection.getInputStream()) {
                return caPem(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the server at " + serverUrl + ": " + describe(e));
        } finally {
            connection.disconnect();
        }
    }

    /** The CA in a cluster-info ConfigMap (JSON): its kubeconfig's certificate-authority-data, decoded. */
    static String caPem(String configMapJson) {
        JsonNode cm = JsonMapper.builder().build().readTree(configMapJson);
        String kubeconfig = cm.path("data").path("kubeconfig").asString("");
        Matcher m = CA_DATA.matcher(kubeconfig);
        if (!m.find()) {
            throw new IllegalStateException("kube-public/cluster-info holds no certificate-authority-data");
        }
        return new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8);
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }

    private static SSLContext unverified() {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // checked afterwards, against the join token's CA hash
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
