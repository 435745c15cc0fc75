package io.kube4j.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** The parts of an OCI image config a container is built from. */
public record ImageConfig(List<String> entrypoint, List<String> cmd, List<String> env, String workingDir,
                          String user, String stopSignal, List<String> diffIds) {

    public static ImageConfig parse(JsonNode config) {
        JsonNode c = config.path("config");
        return new ImageConfig(strings(c.get("Entrypoint")), strings(c.get("Cmd")), strings(c.get("Env")),
                c.path("WorkingDir").asText(""), c.path("User").asText(""), c.path("StopSignal").asText(""),
                strings(config.path("rootfs").get("diff_ids")));
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(n -> values.add(n.asText()));
        }
        return List.copyOf(values);
    }
}
