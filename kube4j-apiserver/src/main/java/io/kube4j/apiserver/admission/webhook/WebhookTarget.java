package io.kube4j.apiserver.admission.webhook;

import java.net.InetSocketAddress;

/**
 * Where one webhook call goes: {@code serverName} is what the server certificate must be valid for (and the SNI
 * name), {@code address} the socket address actually dialled - for a {@code clientConfig.service} webhook an
 * endpoint of the Service, not the name - and {@code url} the request URL as upstream's errors print it.
 */
record WebhookTarget(String serverName, InetSocketAddress address, String pathAndQuery, String url) {
}
