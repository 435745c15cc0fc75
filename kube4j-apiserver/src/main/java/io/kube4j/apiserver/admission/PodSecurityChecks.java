package io.kube4j.apiserver.admission;

import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Pod Security Standards checks (baseline and restricted), each reporting upstream's check title and detail,
 * in upstream's check order.
 */
final class PodSecurityChecks {

    enum Level { PRIVILEGED, BASELINE, RESTRICTED }

    private static final Set<String> BASELINE_CAPABILITIES = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER",
            "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");
    private static final Set<String> SAFE_SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
            "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
            "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes");
    private static final Set<String> SELINUX_TYPES = Set.of("", "container_t", "container_init_t",
            "container_kvm_t", "container_engine_t");
    private static final Set<String> RESTRICTED_VOLUMES_ALLOWED = Set.of("configMap", "csi", "downwardAPI",
            "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret");

    private PodSecurityChecks() {
    }

    /** "title (detail)" for every check the pod fails at {@code level}. */
    static List<String> violations(JsonNode pod, Level level) {
        List<String> failures = new ArrayList<>();
        if (level == Level.PRIVILEGED) {
            return failures;
        }
        boolean restricted = level == Level.RESTRICTED;
        JsonNode spec = pod.path("spec");
        JsonNode podContext = spec.path("securityContext");
        List<JsonNode> containers = allContainers(spec);

        if (restricted) {
            List<String> escalating = names(containers, c -> !c.path("securityContext")
                    .path("allowPrivilegeEscalation").isBoolean()
                    || c.path("securityContext").path("allowPrivilegeEscalation").asBoolean());
            add(failures, "allowPrivilegeEscalation != false", escalating.isEmpty() ? null
                    : containersText(escalating) + " must set securityContext.allowPrivilegeEscalation=false");
        }
        appArmor(failures, pod, spec, containers);
        Map<String, List<String>> extraCaps = new LinkedHashMap<>();
        for (JsonNode c : containers) {
            for (JsonNode cap : c.path("securityContext").path("capabilities").path("add")) {
                if (!BASELINE_CAPABILITIES.contains(cap.asString(""))) {
                    extraCaps.computeIfAbsent(cap.asString(""), k -> new ArrayList<>()).add(name(c));
                }
            }
        }
        if (!extraCaps.isEmpty()) {
            Set<String> who = new LinkedHashSet<>();
            extraCaps.values().forEach(who::addAll);
            add(failures, "non-default capabilities", containersText(new ArrayList<>(who)) + " must not include "
                    + quoted(new ArrayList<>(extraCaps.keySet())) + " in securityContext.capabilities.add");
        }
        if (restricted) {
            List<String> details = new ArrayList<>();
            List<String> notDropping = names(containers, c -> {
                for (JsonNode drop : c.path("securityContext").path("capabilities").path("drop")) {
                    if (drop.asString("").equals("ALL")) {
                        return false;
                    }
                }
                return true;
            });
            if (!notDropping.isEmpty()) {
                details.add(containersText(notDropping) + " must set securityContext.capabilities.drop=[\"ALL\"]");
            }
            Map<String, List<String>> adding = new LinkedHashMap<>();
            for (JsonNode c : containers) {
                for (JsonNode cap : c.path("securityContext").path("capabilities").path("add")) {
                    if (!cap.asString("").equals("NET_BIND_SERVICE")) {
                        adding.computeIfAbsent(name(c), k -> new ArrayList<>()).add(cap.asString(""));
                    }
                }
            }
            adding.forEach((container, caps) -> details.add("container \"" + container + "\" must not include "
                    + quoted(caps) + " in securityContext.capabilities.add"));
            add(failures, "unrestricted capabilities", details.isEmpty() ? null : String.join("; ", details));
        }
        List<String> hostNamespaces = new ArrayList<>();
        for (String field : new String[]{"hostNetwork", "hostPID", "hostIPC"}) {
            if (spec.path(field).asBoolean(false)) {
                hostNamespaces.add(field + "=true");
            }
        }
        add(failures, "host namespaces", hostNamespaces.isEmpty() ? null : String.join(", ", hostNamespaces));
        List<String> hostPaths = new ArrayList<>();
        for (JsonNode volume : spec.path("volumes")) {
            if (volume.has("hostPath")) {
                hostPaths.add(volume.path("name").asString(""));
            }
        }
        add(failures, "hostPath volumes", hostPaths.isEmpty() ? null
                : (hostPaths.size() == 1 ? "volume " : "volumes ") + quoted(hostPaths));
        List<String> hostPortContainers = new ArrayList<>();
        List<String> hostPorts = new ArrayList<>();
        for (JsonNode c : containers) {
            for (JsonNode port : c.path("ports")) {
                if (port.path("hostPort").asInt(0) != 0) {
                    if (!hostPortContainers.contains(name(c))) {
                        hostPortContainers.add(name(c));
                    }
                    hostPorts.add(String.valueOf(port.path("hostPort").asInt()));
                }
            }
        }
        add(failures, "hostPort", hostPorts.isEmpty() ? null : containersText(hostPortContainers)
                + (hostPortContainers.size() == 1 ? " uses " : " use ")
                + (hostPorts.size() == 1 ? "hostPort " : "hostPorts ") + String.join(", ", hostPorts));
        List<String> privileged = names(containers, c -> c.path("securityContext").path("privileged").asBoolean(false));
        add(failures, "privileged", privileged.isEmpty() ? null
                : containersText(privileged) + " must not set securityContext.privileged=true");
        List<String> procMount = names(containers, c -> {
            String mount = Json.text(c, "securityContext", "procMount");
            return mount != null && !mount.equals("Default");
        });
        add(failures, "procMount", procMount.isEmpty() ? null
                : containersText(procMount) + " must not set securityContext.procMount to \"Unmasked\"");
        if (restricted) {
            List<String> restrictedVolumes = new ArrayList<>();
            for (JsonNode volume : spec.path("volumes")) {
                for (Map.Entry<String, JsonNode> field : volume.properties()) {
                    if (!field.getKey().equals("name") && !RESTRICTED_VOLUMES_ALLOWED.contains(field.getKey())) {
                        restrictedVolumes.add("volume \"" + volume.path("name").asString("") + "\" uses restricted "
                                + "volume type \"" + field.getKey() + "\"");
                    }
                }
            }
            add(failures, "restricted volume types", restrictedVolumes.isEmpty() ? null
                    : String.join(", ", restrictedVolumes));
            runAsNonRoot(failures, podContext, containers);
            List<String> rootDetails = new ArrayList<>();
            if (podContext.path("runAsUser").isNumber() && podContext.path("runAsUser").asLong() == 0) {
                rootDetails.add("pod must not set runAsUser=0");
            }
            List<String> rootContainers = names(containers, c -> c.path("securityContext").path("runAsUser").isNumber()
                    && c.path("securityContext").path("runAsUser").asLong() == 0);
            if (!rootContainers.isEmpty()) {
                rootDetails.add(containersText(rootContainers) + " must not set runAsUser=0");
            }
            add(failures, "runAsUser=0", rootDetails.isEmpty() ? null : String.join("; ", rootDetails));
        }
        seLinux(failures, podContext, containers);
        seccomp(failures, podContext, containers, restricted);
        List<String> sysctls = new ArrayList<>();
        for (JsonNode sysctl : podContext.path("sysctls")) {
            String name = sysctl.path("name").asString("");
            if (!SAFE_SYSCTLS.contains(name)) {
                sysctls.add(name);
            }
        }
        add(failures, "forbidden sysctls", sysctls.isEmpty() ? null : String.join(", ", sysctls));
        boolean hostProcess = podContext.path("windowsOptions").path("hostProcess").asBoolean(false)
                || containers.stream().anyMatch(c -> c.path("securityContext").path("windowsOptions")
                .path("hostProcess").asBoolean(false));
        add(failures, "hostProcess", hostProcess ? "pod or containers must not set "
                + "securityContext.windowsOptions.hostProcess=true" : null);
        return failures;
    }

    private static void appArmor(List<String> failures, JsonNode pod, JsonNode spec, List<JsonNode> containers) {
        List<String> bad = new ArrayList<>();
        for (Map.Entry<String, JsonNode> annotation : pod.path("metadata").path("annotations").properties()) {
            String key = annotation.getKey();
            String value = annotation.getValue().asString("");
            if (key.startsWith("container.apparmor.security.beta.kubernetes.io/") && !value.equals("runtime/default")
                    && !value.startsWith("localhost/")) {
                bad.add(key + "=\"" + value + "\"");
            }
        }
        if ("Unconfined".equals(Json.text(spec, "securityContext", "appArmorProfile", "type"))) {
            bad.add("pod must not set securityContext.appArmorProfile.type to \"Unconfined\"");
        }
        List<String> unconfined = names(containers, c -> "Unconfined".equals(
                Json.text(c, "securityContext", "appArmorProfile", "type")));
        if (!unconfined.isEmpty()) {
            bad.add(containersText(unconfined) + " must not set securityContext.appArmorProfile.type to "
                    + "\"Unconfined\"");
        }
        add(failures, "forbidden AppArmor profile" + (bad.size() == 1 ? "" : "s"), bad.isEmpty() ? null
                : String.join(", ", bad));
    }

    private static void runAsNonRoot(List<String> failures, JsonNode podContext, List<JsonNode> containers) {
        JsonNode podSetting = podContext.path("runAsNonRoot");
        List<String> details = new ArrayList<>();
        if (podSetting.isBoolean() && !podSetting.asBoolean()) {
            details.add("pod must not set securityContext.runAsNonRoot=false");
        }
        List<String> explicitFalse = names(containers, c -> c.path("securityContext").path("runAsNonRoot").isBoolean()
                && !c.path("securityContext").path("runAsNonRoot").asBoolean());
        if (!explicitFalse.isEmpty()) {
            details.add(containersText(explicitFalse) + " must not set securityContext.runAsNonRoot=false");
        }
        boolean podTrue = podSetting.isBoolean() && podSetting.asBoolean();
        if (!podTrue) {
            List<String> unset = names(containers, c -> !c.path("securityContext").path("runAsNonRoot").isBoolean());
            if (!unset.isEmpty()) {
                details.add("pod or " + containersText(unset) + " must set securityContext.runAsNonRoot=true");
            }
        }
        add(failures, "runAsNonRoot != true", details.isEmpty() ? null : String.join("; ", details));
    }

    private static void seLinux(List<String> failures, JsonNode podContext, List<JsonNode> containers) {
        List<String> details = new ArrayList<>();
        String podProblem = seLinuxProblem(podContext.path("seLinuxOptions"));
        if (podProblem != null) {
            details.add("pod set forbidden securityContext.seLinuxOptions: " + podProblem);
        }
        for (JsonNode c : containers) {
            String problem = seLinuxProblem(c.path("securityContext").path("seLinuxOptions"));
            if (problem != null) {
                details.add("container \"" + name(c) + "\" set forbidden securityContext.seLinuxOptions: " + problem);
            }
        }
        add(failures, "seLinuxOptions", details.isEmpty() ? null : String.join("; ", details));
    }

    private static String seLinuxProblem(JsonNode options) {
        if (!options.isObject()) {
            return null;
        }
        List<String> problems = new ArrayList<>();
        String type = options.path("type").asString("");
        if (!SELINUX_TYPES.contains(type)) {
            problems.add("type \"" + type + "\"");
        }
        if (!options.path("user").asString("").isEmpty()) {
            problems.add("user \"" + options.path("user").asString() + "\"");
        }
        if (!options.path("role").asString("").isEmpty()) {
            problems.add("role \"" + options.path("role").asString() + "\"");
        }
        return problems.isEmpty() ? null : String.join(", ", problems);
    }

    private static void seccomp(List<String> failures, JsonNode podContext, List<JsonNode> containers,
                                boolean restricted) {
        String podType = Json.text(podContext, "seccompProfile", "type");
        List<String> details = new ArrayList<>();
        if ("Unconfined".equals(podType)) {
            details.add("pod must not set securityContext.seccompProfile.type to \"Unconfined\"");
        }
        List<String> unconfined = names(containers, c -> "Unconfined".equals(
                Json.text(c, "securityContext", "seccompProfile", "type")));
        if (!unconfined.isEmpty()) {
            details.add(containersText(unconfined) + " must not set securityContext.seccompProfile.type to "
                    + "\"Unconfined\"");
        }
        if (restricted && !"Unconfined".equals(podType)) {
            boolean podSet = "RuntimeDefault".equals(podType) || "Localhost".equals(podType);
            if (!podSet) {
                List<String> unset = names(containers, c -> Json.text(c, "securityContext", "seccompProfile",
                        "type") == null);
                if (!unset.isEmpty()) {
                    details.add("pod or " + containersText(unset) + " must set securityContext.seccompProfile.type "
                            + "to \"RuntimeDefault\" or \"Localhost\"");
                }
            }
        }
        add(failures, "seccompProfile", details.isEmpty() ? null : String.join("; ", details));
    }

    private static List<JsonNode> allContainers(JsonNode spec) {
        List<JsonNode> all = new ArrayList<>();
        for (String list : new String[]{"initContainers", "containers", "ephemeralContainers"}) {
            spec.path(list).forEach(all::add);
        }
        return all;
    }

    private static List<String> names(List<JsonNode> containers, java.util.function.Predicate<JsonNode> test) {
        List<String> names = new ArrayList<>();
        for (JsonNode c : containers) {
            if (test.test(c)) {
                names.add(name(c));
            }
        }
        return names;
    }

    private static String name(JsonNode container) {
        return container.path("name").asString("");
    }

    private static String containersText(List<String> names) {
        return (names.size() == 1 ? "container " : "containers ") + quoted(names);
    }

    private static String quoted(List<String> values) {
        List<String> quoted = new ArrayList<>();
        values.forEach(v -> quoted.add("\"" + v + "\""));
        return String.join(", ", quoted);
    }

    private static void add(List<String> failures, String title, String detail) {
        if (detail != null) {
            failures.add(title + " (" + detail + ")");
        }
    }
}
