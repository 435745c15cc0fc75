package io.kube4j.controllers.persistentvolume;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The storage side of reclaim policy Delete, as kube-controller-manager's in-tree volume plugins do it: only the
 * hostPath plugin can delete, and only a directory whose path contains {@code /tmp/<something>} (upstream's
 * unanchored "/tmp/.+" check - a testing aid, deleted on the controller manager's own host); every other volume has
 * no deleter and fails with upstream's message, except one provisioned by an external provisioner, whose deletion
 * is that provisioner's job.
 */
final class VolumeDeleter {
    static final String PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";
    private static final Pattern HOST_PATH_DELETABLE = Pattern.compile("/tmp/.+");
    /** The volume sources kube-controller-manager has a plugin for, none of which can delete. */
    private static final Set<String> NON_DELETABLE_PLUGINS = Set.of("local", "nfs", "csi", "fc", "iscsi");

    /** What became of a deletion: the PV object may go, someone else deletes, or it failed with a message. */
    sealed interface Outcome {
    }

    record Deleted() implements Outcome {
    }

    record External() implements Outcome {
    }

    record Failed(String message) implements Outcome {
    }

    Outcome delete(PersistentVolume volume) {
        Map<String, String> annotations = volume.getMetadata().getAnnotations();
        String provisioner = annotations == null ? null : annotations.get(PROVISIONED_BY);
        if (provisioner != null && !provisioner.isEmpty() && !provisioner.startsWith("kubernetes.io/")) {
            return new External();
        }
        if (volume.getSpec().getHostPath() != null) {
            String path = volume.getSpec().getHostPath().getPath();
            if (path == null || !HOST_PATH_DELETABLE.matcher(path).find()) {
                return new Failed("host_path deleter only supports /tmp/.+ but received provided " + path);
            }
            try {
                removeAll(Path.of(path));
                return new Deleted();
            } catch (IOException | RuntimeException e) {
                return new Failed(e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }
        String reason = NON_DELETABLE_PLUGINS.stream().anyMatch(source -> hasSource(volume, source))
                ? "no deletable volume plugin matched" : "no volume plugin matched";
        return new Failed("error getting deleter volume plugin for volume \"" + volume.getMetadata().getName() + "\": " + reason);
    }

    private static boolean hasSource(PersistentVolume volume, String source) {
        var spec = volume.getSpec();
        return switch (source) {
            case "local" -> spec.getLocal() != null;
            case "nfs" -> spec.getNfs() != null;
            case "csi" -> spec.getCsi() != null;
            case "fc" -> spec.getFc() != null;
            case "iscsi" -> spec.getIscsi() != null;
            default -> false;
        };
    }

    /** Go's os.RemoveAll: the tree, symbolic links not followed, and a path already gone is no error. */
    static void removeAll(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null && !(exc instanceof NoSuchFileException)) {
                    throw exc;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
