package io.kube4j.runtime.container;

import java.util.List;

/**
 * What the runtime remembers about a container across restarts (container.json). The exit code
 * and finish time are not here: conmon's exit file is the truth for those.
 *
 * @param imageId  the image's config digest, as PullImage returns it
 * @param imageRef a digested reference (repository@manifest digest), as containerd reports it
 * @param reaped   the container exited and its runc state and cgroup were released
 */
public record ContainerRecord(String id, String sandboxId, String name, int attempt, String imageId,
                              String imageRef, String userImage, List<String> layers, long createdAt,
                              long startedAt, String logPath, String cgroupPath, boolean oomKilled, boolean reaped) {

    ContainerRecord started(long at) {
        return new ContainerRecord(id, sandboxId, name, attempt, imageId, imageRef, userImage, layers, createdAt, at,
                logPath, cgroupPath, oomKilled, reaped);
    }

    ContainerRecord reaped(boolean oom) {
        return new ContainerRecord(id, sandboxId, name, attempt, imageId, imageRef, userImage, layers, createdAt,
                startedAt, logPath, cgroupPath, oom, true);
    }
}
