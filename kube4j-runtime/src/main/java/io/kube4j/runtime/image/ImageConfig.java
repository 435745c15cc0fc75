package io.kube4j.runtime.image;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** The parts of an OCI image config a container is built from. */
public record ImageConfig(List<String> entrypoint, List<String> cmd, List<String> env, String workingDir,
                          String user, String stopSignal, List<String> diffIds) {

    public static ImageConfig parse(JsonNode config) {
        JsonNode c = config.path("config");
        return new ImageConfig(strings(c.get("Entrypoint")), strings(c.get("Cmd")), strings(c.get("Env")),
                c.path("WorkingDir").asString(""), c.path("User").asString(""), c.path("StopSignal").asString(""),
                strings(config.path("rootfs").get("diff_ids")));
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(n -> values.add(n.asString("")));
        }
        return List.copyOf(values);
    }
}
