package io.kube4j.kubelet.config;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.kubelet.kuberuntime.Labels;
import io.kube4j.kubelet.pod.PodWorkers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Static pods: manifests in a directory, run by this kubelet without the API server, each shown in the API as a
 * mirror pod (upstream's file source plus mirror client). A pod's UID is a hash of its manifest and the node, so
 * an edited manifest is a new pod and an unchanged one keeps its containers across kubelet restarts.
 */
public final class StaticPodSource {
    private static final Logger LOG = LoggerFactory.getLogger(StaticPodSource.class);
    public static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";
    public static final String HASH_ANNOTATION = "kubernetes.io/config.hash";

    private final Path dir;
    private final String nodeName;
    private final KubernetesClient client;
    private final PodWorkers workers;
    private final Supplier<String> nodeUid;
    private final Map<String, Pod> current = new HashMap<>();

    public StaticPodSource(Path dir, String nodeName, KubernetesClient client, PodWorkers workers, Supplier<String> nodeUid) {
        this.dir = dir;
        this.nodeName = nodeName;
        this.client = client;
        this.workers = workers;
        this.nodeUid = nodeUid;
    }

    /** Whether the pod was read from a manifest file here (its status goes to its mirror pod, another uid). */
    public static boolean isStatic(Pod pod) {
        return "file".equals(annotation(pod, Labels.CONFIG_SOURCE));
    }

    public static boolean isMirror(Pod pod) {
        return pod.getMetadata().getAnnotations() != null && pod.getMetadata().getAnnotations().containsKey(MIRROR_ANNOTATION);
    }

    /** Reads the directory; starts new pods, stops removed ones, (re)creates missing mirror pods. */
    public synchronized void scan() {
        Map<String, Pod> seen = new HashMap<>();
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                for (Path f : files.sorted().toList()) {
                    String name = f.getFileName().toString();
                    if (name.startsWith(".") || !(name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"))) {
                        continue;
                    }
                    try {
                        Pod pod = load(f);
                        seen.put(pod.getMetadata().getUid(), pod);
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("cannot read static pod manifest {}: {}", f, e.getMessage());
                    }
                }
            } catch (IOException e) {
                LOG.warn("cannot list static pod directory {}: {}", dir, e.getMessage());
            }
        }
        for (var e : seen.entrySet()) {
            if (!current.containsKey(e.getKey())) {
                LOG.info("static pod {}/{} from {}", e.getValue().getMetadata().getNamespace(), e.getValue().getMetadata().getName(), dir);
                workers.update(e.getValue());
            }
            ensureMirror(e.getValue());
        }
        for (var e : current.entrySet()) {
            if (!seen.containsKey(e.getKey())) {
                workers.remove(e.getValue());
                deleteMirror(e.getValue());
            }
        }
        current.clear();
        current.putAll(seen);
    }

    Pod load(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Pod pod = client.getKubernetesSerialization().unmarshal(text, Pod.class);
        if (pod == null || pod.getMetadata() == null || pod.getMetadata().getName() == null) {
            throw new IOException("not a pod manifest with metadata.name");
        }
        String hash = hash(text + "\0" + nodeName);
        String ns = pod.getMetadata().getNamespace() == null ? "default" : pod.getMetadata().getNamespace();
        return new PodBuilder(pod).editMetadata()
                .withName(pod.getMetadata().getName() + "-" + nodeName).withNamespace(ns)
                .withUid(hash.substring(0, 8) + "-" + hash.substring(8, 12) + "-" + hash.substring(12, 16) + "-"
                        + hash.substring(16, 20) + "-" + hash.substring(20, 32))
                .addToAnnotations(Labels.CONFIG_SOURCE, "file").addToAnnotations(HASH_ANNOTATION, hash)
                .endMetadata().editSpec().withNodeName(nodeName).endSpec().build();
    }

    private void ensureMirror(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        String hash = pod.getMetadata().getAnnotations().get(HASH_ANNOTATION);
        try {
            Pod mirror = client.pods().inNamespace(ns).withName(name).get();
            if (mirror != null && hash.equals(annotation(mirror, MIRROR_ANNOTATION))) {
                return;
            }
            if (mirror != null) {
                client.pods().inNamespace(ns).withName(name).withGracePeriod(0).delete();
                return; // created at the next scan, once the old one is gone
            }
            PodBuilder b = new PodBuilder(pod).editMetadata().withUid(null).addToAnnotations(MIRROR_ANNOTATION, hash).endMetadata();
            String uid = nodeUid.get();
            if (uid != null) {
                b.editMetadata().withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
                        .withName(nodeName).withUid(uid).withController(true).build()).endMetadata();
            }
            client.pods().inNamespace(ns).resource(b.build()).create();
        } catch (KubernetesClientException e) {
            LOG.debug("mirror pod {}/{} not created: {}", ns, name, e.getMessage());
        }
    }

    private void deleteMirror(Pod pod) {
        try {
            Pod mirror = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).get();
            if (mirror != null && isMirror(mirror)) {
                client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).withGracePeriod(0).delete();
            }
        } catch (KubernetesClientException e) {
            LOG.debug("mirror pod of {} not deleted: {}", pod.getMetadata().getName(), e.getMessage());
        }
    }

    private static String annotation(Pod pod, String key) {
        return pod.getMetadata().getAnnotations() == null ? null : pod.getMetadata().getAnnotations().get(key);
    }

    private static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
