package io.kube4j.kubelet.server.auth;

import java.util.List;
import java.util.Map;

/** Who made a request to the kubelet server, as the API server's TokenReview or a client certificate says. */
public record User(String name, String uid, List<String> groups, Map<String, List<String>> extra) {

    public User {
        groups = groups == null ? List.of() : List.copyOf(groups);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
        uid = uid == null ? "" : uid;
    }
}
