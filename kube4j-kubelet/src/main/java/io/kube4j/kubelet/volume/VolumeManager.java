package io.kube4j.kubelet.volume;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.kube4j.cri.v1.Mount;
import io.kube4j.host.MountInfo;
import io.kube4j.kubelet.env.FieldPaths;
import io.kube4j.kubelet.env.ObjectSource;
import io.kube4j.kubelet.volume.AtomicWriter.FileContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The pod's volumes on the node, under {@code <root>/pods/<uid>/volumes/kubernetes.io~<plugin>/<name>}. Setting
 * up is idempotent and rewrites changed ConfigMap, Secret, downward API and token contents, so calling it on every
 * sync keeps the files current.
 */
public final class VolumeManager {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeManager.class);
    private static final long DEFAULT_TOKEN_SECONDS = 3607;

    private final Path podsDir;
    private final ObjectSource objects;
    private final TokenSource tokens;
    private final Supplier<Map<String, Quantity>> nodeAllocatable;

    public VolumeManager(Path rootDir, ObjectSource objects, TokenSource tokens, Supplier<Map<String, Quantity>> nodeAllocatable) {
        this.podsDir = rootDir.resolve("pods");
        this.objects = objects;
        this.tokens = tokens;
        this.nodeAllocatable = nodeAllocatable;
    }

    public Path podDir(String uid) {
        return podsDir.resolve(uid);
    }

    /** @return each volume's directory (or file, for a hostPath file) on the node */
    public Map<String, Path> setUp(Pod pod, String hostIp, String podIp) {
        Map<String, Path> paths = new LinkedHashMap<>();
        if (pod.getSpec().getVolumes() == null) {
            return paths;
        }
        Map<String, ClaimedVolumes.Claimed> claimed = claims(pod);
        for (Volume v : pod.getSpec().getVolumes()) {
            try {
                ClaimedVolumes.Claimed c = claimed.get(v.getName());
                paths.put(v.getName(), c != null ? claimedPath(c) : setUp(pod, v, hostIp, podIp));
            } catch (IOException e) {
                throw new VolumeException("MountVolume.SetUp failed for volume \"" + v.getName() + "\" : " + e.getMessage());
            }
        }
        return paths;
    }

    /**
     * Follows every persistentVolumeClaim volume to its PersistentVolume. Until all of them are bound, nothing is
     * mounted and the pod waits, with upstream's message naming the volumes that could not be processed.
     */
    private Map<String, ClaimedVolumes.Claimed> claims(Pod pod) {
        Map<String, ClaimedVolumes.Claimed> claimed = new LinkedHashMap<>();
        java.util.TreeMap<String, String> failures = new java.util.TreeMap<>();
        for (Volume v : pod.getSpec().getVolumes()) {
            if (v.getPersistentVolumeClaim() == null) {
                continue;
            }
            try {
                claimed.put(v.getName(), ClaimedVolumes.resolve(objects, pod.getMetadata().getNamespace(), v.getPersistentVolumeClaim()));
            } catch (ClaimedVolumes.ClaimException e) {
                failures.put(v.getName(), e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            String all = pod.getSpec().getVolumes().stream().map(Volume::getName).sorted().collect(java.util.stream.Collectors.joining(" "));
            throw new VolumeException("Unable to attach or mount volumes: unmounted volumes=[" + all + "], unattached volumes=["
                    + all + "], failed to process volumes=[" + String.join(" ", failures.keySet()) + "]: "
                    + String.join(", ", failures.values()));
        }
        return claimed;
    }

    private static Path claimedPath(ClaimedVolumes.Claimed c) throws IOException {
        if (c.local()) {
            if (!Files.exists(c.path())) {
                throw new IOException("path \"" + c.path() + "\" does not exist");
            }
            return c.path();
        }
        return hostPath(c.path(), c.hostPathType());
    }

    private Path setUp(Pod pod, Volume v, String hostIp, String podIp) throws IOException {
        String ns = pod.getMetadata().getNamespace();
        Path base = podDir(pod.getMetadata().getUid()).resolve("volumes");
        if (v.getHostPath() != null) {
            return hostPath(Path.of(v.getHostPath().getPath()), v.getHostPath().getType() == null ? "" : v.getHostPath().getType());
        }
        if (v.getEmptyDir() != null) {
            Path dir = base.resolve("kubernetes.io~empty-dir").resolve(v.getName());
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, AtomicWriter.permissions(0777));
                if ("Memory".equals(v.getEmptyDir().getMedium())) {
                    mountTmpfs(dir, v.getEmptyDir().getSizeLimit());
                }
            }
            return dir;
        }
        if (v.getConfigMap() != null) {
            var src = v.getConfigMap();
            Path dir = base.resolve("kubernetes.io~configmap").resolve(v.getName());
            Map<String, FileContent> files = configMapFiles(ns, src.getName(), src.getItems(), src.getOptional(), mode(src.getDefaultMode(), 0644));
            AtomicWriter.write(dir, files);
            return dir;
        }
        if (v.getSecret() != null) {
            var src = v.getSecret();
            Path dir = base.resolve("kubernetes.io~secret").resolve(v.getName());
            Map<String, FileContent> files = secretFiles(ns, src.getSecretName(), src.getItems(), src.getOptional(), mode(src.getDefaultMode(), 0644));
            AtomicWriter.write(dir, files);
            return dir;
        }
        if (v.getDownwardAPI() != null) {
            Path dir = base.resolve("kubernetes.io~downward-api").resolve(v.getName());
            AtomicWriter.write(dir, downwardFiles(pod, v.getDownwardAPI().getItems(), mode(v.getDownwardAPI().getDefaultMode(), 0644), hostIp, podIp));
            return dir;
        }
        if (v.getProjected() != null) {
            Path dir = base.resolve("kubernetes.io~projected").resolve(v.getName());
            int defaultMode = mode(v.getProjected().getDefaultMode(), 0644);
            Map<String, FileContent> files = new LinkedHashMap<>();
            for (VolumeProjection p : v.getProjected().getSources()) {
                if (p.getConfigMap() != null) {
                    var src = p.getConfigMap();
                    boolean optional = Boolean.TRUE.equals(src.getOptional())
                            // Without a root-CA publisher the admission-injected kube-api-access volume would block every pod.
                            || "kube-root-ca.crt".equals(src.getName());
                    files.putAll(configMapFiles(ns, src.getName(), src.getItems(), optional, defaultMode));
                } else if (p.getSecret() != null) {
                    var src = p.getSecret();
                    files.putAll(secretFiles(ns, src.getName(), src.getItems(), src.getOptional(), defaultMode));
                } else if (p.getDownwardAPI() != null) {
                    files.putAll(downwardFiles(pod, p.getDownwardAPI().getItems(), defaultMode, hostIp, podIp));
                } else if (p.getServiceAccountToken() != null) {
                    var src = p.getServiceAccountToken();
                    String sa = pod.getSpec().getServiceAccountName() == null ? "default" : pod.getSpec().getServiceAccountName();
                    long seconds = src.getExpirationSeconds() == null ? DEFAULT_TOKEN_SECONDS : src.getExpirationSeconds();
                    String token = tokens.token(pod, sa, src.getAudience(), seconds);
                    files.put(src.getPath(), new FileContent(token.getBytes(StandardCharsets.UTF_8), defaultMode == 0644 ? 0600 : defaultMode));
                }
            }
            AtomicWriter.write(dir, files);
            return dir;
        }
        // Unknown types get an empty directory, so a pod with an exotic volume still starts.
        Path dir = base.resolve("kubernetes.io~unsupported").resolve(v.getName());
        Files.createDirectories(dir);
        return dir;
    }

    private static Path hostPath(Path path, String type) throws IOException {
        switch (type) {
            case "DirectoryOrCreate" -> {
                if (!Files.exists(path)) {
                    Files.createDirectories(path);
                    Files.setPosixFilePermissions(path, AtomicWriter.permissions(0755));
                }
            }
            case "FileOrCreate" -> {
                if (!Files.exists(path)) {
                    Files.createDirectories(path.getParent());
                    Files.createFile(path);
                    Files.setPosixFilePermissions(path, AtomicWriter.permissions(0644));
                }
            }
            case "Directory" -> {
                if (!Files.isDirectory(path)) {
                    throw new IOException("hostPath type check failed: " + path + " is not a directory");
                }
            }
            case "File" -> {
                if (!Files.isRegularFile(path)) {
                    throw new IOException("hostPath type check failed: " + path + " is not a file");
                }
            }
            case "Socket", "CharDevice", "BlockDevice" -> {
                if (!Files.exists(path)) {
                    throw new IOException("hostPath type check failed: " + path + " does not exist");
                }
            }
            default -> {
            }
        }
        return path;
    }

    private Map<String, FileContent> configMapFiles(String ns, String name, List<KeyToPath> items, Boolean optional, int defaultMode) {
        ConfigMap cm = objects.configMap(ns, name);
        if (cm == null) {
            if (Boolean.TRUE.equals(optional)) {
                return Map.of();
            }
            throw new VolumeException("configmap \"" + name + "\" not found");
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (cm.getData() != null) {
            cm.getData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
        }
        if (cm.getBinaryData() != null) {
            cm.getBinaryData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
        }
        return project(data, items, optional, defaultMode, "configmap " + ns + "/" + name);
    }

    private Map<String, FileContent> secretFiles(String ns, String name, List<KeyToPath> items, Boolean optional, int defaultMode) {
        Secret secret = objects.secret(ns, name);
        if (secret == null) {
            if (Boolean.TRUE.equals(optional)) {
                return Map.of();
            }
            throw new VolumeException("secret \"" + name + "\" not found");
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
        }
        if (secret.getStringData() != null) {
            secret.getStringData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
        }
        return project(data, items, optional, defaultMode, "secret " + ns + "/" + name);
    }

    private static Map<String, FileContent> project(Map<String, byte[]> data, List<KeyToPath> items, Boolean optional,
                                                    int defaultMode, String what) {
        Map<String, FileContent> files = new LinkedHashMap<>();
        if (items == null || items.isEmpty()) {
            data.forEach((k, v) -> files.put(k, new FileContent(v, defaultMode)));
            return files;
        }
        for (KeyToPath item : items) {
            byte[] v = data.get(item.getKey());
            if (v == null) {
                if (Boolean.TRUE.equals(optional)) {
                    continue;
                }
                throw new VolumeException("configured to use key " + item.getKey() + " of " + what + ", but the key is missing");
            }
            files.put(item.getPath(), new FileContent(v, mode(item.getMode(), defaultMode)));
        }
        return files;
    }

    private Map<String, FileContent> downwardFiles(Pod pod, List<DownwardAPIVolumeFile> items, int defaultMode, String hostIp, String podIp) {
        Map<String, FileContent> files = new LinkedHashMap<>();
        if (items == null) {
            return files;
        }
        for (DownwardAPIVolumeFile item : items) {
            String value;
            if (item.getFieldRef() != null) {
                value = FieldPaths.field(pod, item.getFieldRef().getFieldPath(), hostIp, podIp);
            } else if (item.getResourceFieldRef() != null) {
                Container c = pod.getSpec().getContainers().get(0);
                value = FieldPaths.resource(pod, c, item.getResourceFieldRef(), nodeAllocatable.get());
            } else {
                continue;
            }
            files.put(item.getPath(), new FileContent(value.getBytes(StandardCharsets.UTF_8), mode(item.getMode(), defaultMode)));
        }
        return files;
    }

    private static int mode(Integer mode, int fallback) {
        return mode == null ? fallback : mode;
    }

    private static void mountTmpfs(Path dir, Quantity sizeLimit) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("mount", "-t", "tmpfs"));
        if (sizeLimit != null && sizeLimit.getNumericalAmount().signum() > 0) {
            cmd.addAll(List.of("-o", "size=" + sizeLimit.getNumericalAmount().toBigInteger()));
        }
        cmd.addAll(List.of("tmpfs", dir.toString()));
        run(cmd);
    }

    private static boolean run(List<String> cmd) throws IOException {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out.trim());
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The CRI mounts of one container: its volumeMounts, with subPath and readOnly. */
    public List<Mount> mounts(Pod pod, Container container, Map<String, Path> volumes) {
        List<Mount> mounts = new ArrayList<>();
        if (container.getVolumeMounts() == null) {
            return mounts;
        }
        Map<String, Volume> byName = new LinkedHashMap<>();
        if (pod.getSpec().getVolumes() != null) {
            pod.getSpec().getVolumes().forEach(v -> byName.put(v.getName(), v));
        }
        for (VolumeMount vm : container.getVolumeMounts()) {
            Path host = volumes.get(vm.getName());
            Volume volume = byName.get(vm.getName());
            if (host == null || volume == null) {
                throw new io.kube4j.kubelet.env.ContainerConfigException("cannot find volume \"" + vm.getName()
                        + "\" to mount into container \"" + container.getName() + "\"");
            }
            boolean writerVolume = volume.getConfigMap() != null || volume.getSecret() != null
                    || volume.getDownwardAPI() != null || volume.getProjected() != null;
            boolean readOnlyClaim = volume.getPersistentVolumeClaim() != null
                    && Boolean.TRUE.equals(volume.getPersistentVolumeClaim().getReadOnly());
            String subPath = vm.getSubPath();
            if (subPath != null && !subPath.isEmpty()) {
                Path sub = host.resolve(subPath).normalize();
                if (!sub.startsWith(host) || Path.of(subPath).isAbsolute()) {
                    throw new io.kube4j.kubelet.env.ContainerConfigException("subPath \"" + subPath + "\" escapes volume " + vm.getName());
                }
                try {
                    if (!Files.exists(sub)) {
                        Files.createDirectories(sub);
                    }
                    // A subPath of a ConfigMap/Secret is a symlink through ..data: bind the real file.
                    host = sub.toRealPath();
                } catch (IOException e) {
                    throw new io.kube4j.kubelet.env.ContainerConfigException("failed to prepare subPath for volumeMount \""
                            + vm.getName() + "\" of container \"" + container.getName() + "\": " + e.getMessage());
                }
            }
            mounts.add(Mount.newBuilder().setHostPath(host.toString()).setContainerPath(vm.getMountPath())
                    .setReadonly(Boolean.TRUE.equals(vm.getReadOnly()) || writerVolume || readOnlyClaim).build());
        }
        return mounts;
    }

    /** Unmounts memory-backed emptyDirs and removes the pod's directory. */
    public void tearDown(String podUid) {
        Path dir = podDir(podUid);
        Path emptyDirs = dir.resolve("volumes").resolve("kubernetes.io~empty-dir");
        if (Files.isDirectory(emptyDirs)) {
            try (var list = Files.list(emptyDirs)) {
                for (Path p : list.toList()) {
                    if (isMountPoint(p)) {
                        try {
                            run(List.of("umount", p.toString()));
                        } catch (IOException e) {
                            LOG.warn("cannot unmount {}: {}", p, e.getMessage());
                        }
                    }
                }
            } catch (IOException e) {
                LOG.warn("cannot list {}: {}", emptyDirs, e.getMessage());
            }
        }
        try {
            AtomicWriter.deleteTree(dir);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", dir, e.getMessage());
        }
    }

    private static boolean isMountPoint(Path p) {
        try {
            return MountInfo.ofThisProcess().isMountPoint(p);
        } catch (IOException e) {
            return false;
        }
    }
}
