package io.kube4j.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.kube4j.kubelet.credentialprovider.DockerKeyring;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.grpc.StatusRuntimeException;
import io.kube4j.cri.v1.ContainerConfig;
import io.kube4j.cri.v1.PodSandbox;
import io.kube4j.cri.v1.PodSandboxConfig;
import io.kube4j.cri.v1.PodSandboxState;
import io.kube4j.kubelet.cm.PodCgroups;
import io.kube4j.kubelet.cri.RuntimeClient;
import io.kube4j.kubelet.env.ContainerConfigException;
import io.kube4j.kubelet.env.EnvResolver;
import io.kube4j.kubelet.events.EventRecorder;
import io.kube4j.kubelet.kuberuntime.ConfigFactory;
import io.kube4j.kubelet.kuberuntime.EphemeralContainers;
import io.kube4j.kubelet.kuberuntime.PodRuntimeState;
import io.kube4j.kubelet.kuberuntime.RuntimeContainer;
import io.kube4j.kubelet.kuberuntime.RuntimeStateReader;
import io.kube4j.kubelet.kuberuntime.SecurityContexts;
import io.kube4j.kubelet.prober.ProbeManager;
import io.kube4j.kubelet.prober.Prober;
import io.kube4j.kubelet.runtimeclass.RuntimeHandlers;
import io.kube4j.kubelet.status.PodStatusGenerator;
import io.kube4j.kubelet.status.StatusInput;
import io.kube4j.kubelet.status.StatusManager;
import io.kube4j.kubelet.status.Waiting;
import io.kube4j.kubelet.volume.VolumeException;
import io.kube4j.kubelet.volume.VolumeManager;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One sync of one pod, level-triggered from what the runtime holds (upstream's SyncPod / computePodActions):
 * sandbox, images, init containers in order, sidecars, app containers, restarts with back-off, termination. Nothing
 * is remembered that the runtime does not also hold, so a restarted kubelet adopts running containers as they are.
 */
public final class PodSyncer {
    private static final Logger LOG = LoggerFactory.getLogger(PodSyncer.class);
    static final Duration RESTART_RESET = Duration.ofMinutes(10);

    private final RuntimeClient cri;
    private final RuntimeStateReader reader;
    private final ConfigFactory configs;
    private final VolumeManager volumes;
    private final EnvResolver env;
    private final PodCgroups cgroups;
    private final StatusManager statuses;
    private final ProbeManager probes;
    private final Prober hooks;
    private final EventRecorder events;
    private final KubernetesClient client;
    private final Supplier<String> hostIp;
    private final Supplier<String> runtimeName;
    private final ExecutorService killers;
    private final RuntimeHandlers runtimeHandlers;
    final BackOff crashBackOff = BackOff.crashLoop();
    final BackOff imageBackOff = BackOff.crashLoop();

    public PodSyncer(RuntimeClient cri, RuntimeStateReader reader, ConfigFactory configs, VolumeManager volumes, EnvResolver env,
                     PodCgroups cgroups, StatusManager statuses, ProbeManager probes, EventRecorder events,
                     KubernetesClient client, Supplier<String> hostIp, Supplier<String> runtimeName, ExecutorService killers) {
        this.cri = cri;
        this.reader = reader;
        this.configs = configs;
        this.volumes = volumes;
        this.env = env;
        this.cgroups = cgroups;
        this.statuses = statuses;
        this.probes = probes;
        this.hooks = new Prober(cri);
        this.events = events;
        this.client = client;
        this.hostIp = hostIp;
        this.runtimeName = runtimeName;
        this.killers = killers;
        this.runtimeHandlers = new RuntimeHandlers(env.objects());
    }

    /** @return when to sync again at the latest (null: at the regular resync) */
    public Duration sync(PodWorker w) {
        Pod pod = w.pod;
        String uid = w.uid;
        PodRuntimeState rt = reader.read(uid);
        w.trace.mark("read");
        Instant now = Instant.now();

        boolean deleting = w.removed || pod.getMetadata().getDeletionTimestamp() != null;
        String previousPhase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        boolean terminalPhase = "Succeeded".equals(previousPhase) || "Failed".equals(previousPhase);
        if (!deleting && !terminalPhase && w.terminalReason == null && deadlineExceeded(pod, now)) {
            w.terminalReason = new Waiting("DeadlineExceeded", "Pod was active on the node longer than the specified deadline");
            events.pod(pod, "Normal", "DeadlineExceeded", w.terminalReason.message(), null);
        }
        if (deleting || terminalPhase || w.terminalReason != null) {
            return terminate(w, pod, rt, deleting);
        }
        if (w.killing != null && !w.killing.isDone()) {
            // a container of this pod is being stopped (failed liveness, changed definition): like upstream's pod
            // worker, the pod waits for that, and the end of the stop wakes it
            report(w, pod, rt);
            return null;
        }

        Duration next = null;
        String hostIp = this.hostIp.get();
        PodSandbox sandbox = rt.readySandbox().orElse(null);
        boolean createdSandbox = sandbox == null;
        Map<String, Path> volumePaths;
        try {
            volumePaths = volumes.setUp(pod, hostIp, rt.podIp());
            w.trace.mark("volumes");
        } catch (VolumeException | ContainerConfigException e) {
            LOG.info("pod {}/{}: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), e.getMessage());
            events.pod(pod, "Warning", "FailedMount", e.getMessage(), null);
            report(w, pod, rt);
            return Duration.ofSeconds(2);
        }
        if (sandbox == null) {
            if (!rt.sandboxes().isEmpty() && sandboxFinished(pod, rt)) {
                // restartPolicy says the containers are done: a dead sandbox is not brought back
                report(w, pod, rt);
                return null;
            }
            killAll(pod, rt, 2);
            // what upstream's SyncPod writes first: the containers waiting in ContainerCreating (PodInitializing with
            // init containers) while the sandbox, the pulls and the starts take their time
            report(w, pod, rt);
            cgroups.ensure(pod);
            w.trace.mark("cgroup");
            try {
                PodSandboxConfig config = configs.sandbox(pod, rt.nextSandboxAttempt(), cgroups.parentOf(pod));
                java.nio.file.Files.createDirectories(configs.podLogDirectory(pod));
                // a class that cannot be resolved fails the sandbox: running the pod under the default handler
                // instead would silently drop the isolation its RuntimeClass asks for
                String handler = runtimeHandlers.lookup(pod.getSpec().getRuntimeClassName());
                String id = cri.runPodSandbox(config, handler);
                w.trace.mark("sandbox");
                LOG.info("pod {}/{}: sandbox {} created{}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), id,
                        handler.isEmpty() ? "" : " with runtime handler " + handler);
            } catch (StatusRuntimeException | java.io.IOException | RuntimeHandlers.LookupException e) {
                String msg = "Failed to create pod sandbox: " + describe(e);
                LOG.warn("pod {}/{}: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), msg);
                events.pod(pod, "Warning", "FailedCreatePodSandBox", msg, null);
                report(w, pod, rt);
                return failedSyncRetry();
            }
            rt = reader.read(uid);
            sandbox = rt.readySandbox().orElse(null);
            if (sandbox == null) {
                report(w, pod, rt);
                return Duration.ofSeconds(5);
            }
            // the downward API may mention the address the sandbox just got
            volumePaths = volumes.setUp(pod, hostIp, rt.podIp());
            w.trace.mark("read+volumes");
        }
        PodSandboxConfig sandboxConfig = configs.sandbox(pod, sandbox.getMetadata().getAttempt(), cgroups.parentOf(pod));
        Context ctx = new Context(w, pod, rt, sandbox.getId(), sandboxConfig, volumePaths, hostIp, now,
                new AtomicBoolean(createdSandbox));

        // before the init containers, as upstream: a debugging container starts even while an init container fails
        next = min(next, startEphemeralContainers(ctx));
        boolean initDone = true;
        for (Container c : initContainers(pod)) {
            boolean sidecar = "Always".equals(c.getRestartPolicy());
            Optional<RuntimeContainer> latest = rt.latestIn(sandbox.getId(), c.getName());
            if (sidecar) {
                if (latest.isPresent() && latest.get().running()) {
                    if (probes.livenessFailed(uid, c.getName(), latest.get().id())) {
                        restartUnhealthy(ctx, c, latest.get());
                    }
                    if (!probes.started(uid, c.getName(), latest.get().id())) {
                        initDone = false;
                        break;
                    }
                    continue;
                }
                next = min(next, startWithBackOff(ctx, c, latest.orElse(null)));
                initDone = false;
                break;
            }
            if (latest.isEmpty()) {
                next = min(next, start(ctx, c, restartCountFor(rt, c.getName())));
                initDone = false;
                break;
            }
            RuntimeContainer rc = latest.get();
            if (rc.running() || rc.created()) {
                initDone = false;
                break;
            }
            if (rc.exitCode() == 0) {
                continue;
            }
            initDone = false;
            if (!"Never".equals(restartPolicy(pod))) {
                next = min(next, startWithBackOff(ctx, c, rc));
            }
            break;
        }
        if (initDone) {
            for (Container c : pod.getSpec().getContainers()) {
                Optional<RuntimeContainer> latest = rt.latestIn(sandbox.getId(), c.getName());
                if (latest.isEmpty()) {
                    next = min(next, start(ctx, c, restartCountFor(rt, c.getName())));
                    continue;
                }
                RuntimeContainer rc = latest.get();
                if (rc.running()) {
                    if (!rc.hash().isEmpty() && !rc.hash().equals(ConfigFactory.hash(c))) {
                        LOG.info("pod {}/{}: container {} definition changed, will be restarted", pod.getMetadata().getNamespace(),
                                pod.getMetadata().getName(), c.getName());
                        events.pod(pod, "Normal", "Killing", "Container " + c.getName() + " definition changed, will be restarted", field(pod, c));
                        stopInBackground(w, pod, c, rc, ConfigFactory.gracePeriod(pod));
                    } else if (probes.livenessFailed(uid, c.getName(), rc.id())) {
                        restartUnhealthy(ctx, c, rc);
                    }
                    continue;
                }
                if (rc.created()) {
                    continue;
                }
                if (shouldRestart(restartPolicy(pod), rc.exitCode())) {
                    next = min(next, startWithBackOff(ctx, c, rc));
                } else {
                    w.waiting.remove(c.getName());
                }
            }
        }
        rt = reader.read(uid);
        w.trace.mark("read");
        probes.sync(pod, rt);
        removeOldContainers(rt, sandbox.getId());
        report(w, pod, rt);
        return next;
    }

    /** @param reported whether this sync already sent the status the runtime showed before its first start */
    private record Context(PodWorker w, Pod pod, PodRuntimeState rt, String sandboxId, PodSandboxConfig sandboxConfig,
                           Map<String, Path> volumes, String hostIp, Instant now, AtomicBoolean reported) {
    }

    /**
     * When a pod whose sandbox could not be created is tried again: upstream's pod workers requeue a failed sync
     * after 10 s plus up to half of that at random, so pods failing together do not retry in step.
     */
    static Duration failedSyncRetry() {
        return Duration.ofMillis(10_000 + java.util.concurrent.ThreadLocalRandom.current().nextLong(5_001));
    }

    private static Duration min(Duration a, Duration b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) <= 0 ? a : b;
    }

    static boolean shouldRestart(String policy, int exitCode) {
        return switch (policy) {
            case "Never" -> false;
            case "OnFailure" -> exitCode != 0;
            default -> true;
        };
    }

    private static String restartPolicy(Pod pod) {
        return pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
    }

    private static List<Container> initContainers(Pod pod) {
        return pod.getSpec().getInitContainers() == null ? List.of() : pod.getSpec().getInitContainers();
    }

    private static int restartCountFor(PodRuntimeState rt, String name) {
        return rt.latest(name).map(c -> c.restartCount() + 1).orElse(0);
    }

    private static boolean sandboxFinished(Pod pod, PodRuntimeState rt) {
        String policy = restartPolicy(pod);
        if ("Always".equals(policy)) {
            return false;
        }
        for (Container c : pod.getSpec().getContainers()) {
            Optional<RuntimeContainer> rc = rt.latest(c.getName());
            if (rc.isEmpty() || rc.get().running() || shouldRestart(policy, rc.get().exitCode())) {
                return false;
            }
        }
        return true;
    }

    private static boolean deadlineExceeded(Pod pod, Instant now) {
        Long ads = pod.getSpec().getActiveDeadlineSeconds();
        if (ads == null || pod.getStatus() == null || pod.getStatus().getStartTime() == null) {
            return false;
        }
        return Instant.parse(pod.getStatus().getStartTime()).plusSeconds(ads).isBefore(now);
    }

    private void restartUnhealthy(Context ctx, Container c, RuntimeContainer rc) {
        String msg = "Container " + c.getName() + " failed liveness probe, will be restarted";
        events.pod(ctx.pod(), "Normal", "Killing", msg, field(ctx.pod(), c));
        stopInBackground(ctx.w(), ctx.pod(), c, rc, ConfigFactory.gracePeriod(ctx.pod()));
    }

    /** Stops one container off the sync pool (its grace period may be long); the pod's worker waits and is woken. */
    private void stopInBackground(PodWorker w, Pod pod, Container c, RuntimeContainer rc, long grace) {
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> stop(pod, c, rc, grace), killers).whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.warn("pod {}/{}: stopping container {} failed: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                        c.getName(), failure.toString());
            }
            w.wake.run();
        });
        CompletableFuture<Void> previous = w.killing;
        w.killing = previous == null || previous.isDone() ? stopping : CompletableFuture.allOf(previous, stopping);
    }

    /** Restarts an exited container unless its CrashLoopBackOff says to wait; returns when to look again. */
    private Duration startWithBackOff(Context ctx, Container c, RuntimeContainer exited) {
        if (exited == null) {
            return start(ctx, c, restartCountFor(ctx.rt(), c.getName()));
        }
        String key = ctx.pod().getMetadata().getUid() + "/" + c.getName();
        Instant finished = Instant.ofEpochSecond(0, exited.status().getFinishedAt());
        Instant started = Instant.ofEpochSecond(0, exited.status().getStartedAt());
        if (Duration.between(started, finished).compareTo(RESTART_RESET) >= 0) {
            crashBackOff.reset(key);
        }
        if (crashBackOff.isInBackOffSince(key, finished, ctx.now())) {
            Duration delay = crashBackOff.current(key);
            var m = ctx.pod().getMetadata();
            ctx.w().waiting.put(c.getName(), new Waiting("CrashLoopBackOff", "back-off " + format(delay)
                    + " restarting failed container=" + c.getName() + " pod=" + m.getName() + "_" + m.getNamespace() + "(" + m.getUid() + ")"));
            // upstream's kubelet says so on every sync it holds the container back (the recorder counts repeats):
            // the Warning that `kubectl describe pod` shows for a crash loop
            events.pod(ctx.pod(), "Warning", "BackOff", "Back-off restarting failed container " + c.getName()
                    + " in pod " + m.getName() + "_" + m.getNamespace() + "(" + m.getUid() + ")", field(ctx.pod(), c));
            return crashBackOff.remaining(key, finished, ctx.now()).plusMillis(50);
        }
        crashBackOff.next(key, ctx.now());
        return start(ctx, c, restartCountFor(ctx.rt(), c.getName()));
    }

    static String format(Duration d) {
        long s = d.getSeconds();
        return s >= 60 ? (s / 60) + "m" + (s % 60) + "s" : s + "s";
    }

    /**
     * Starts each ephemeral container that never ran: they are never restarted, whatever the restart policy (upstream's
     * computePodActions looks for any instance of the name). One with a targetContainerName joins the PID namespace
     * of that container, which must be running: otherwise upstream's CreateContainerConfigError, tried again later.
     */
    private Duration startEphemeralContainers(Context ctx) {
        Duration next = null;
        for (EphemeralContainer ec : EphemeralContainers.of(ctx.pod())) {
            if (ctx.rt().latest(ec.getName()).isPresent()) {
                continue;
            }
            Container c = EphemeralContainers.asContainer(ec);
            String target = ec.getTargetContainerName();
            String targetId = null;
            if (target != null && !target.isEmpty()) {
                targetId = ctx.rt().latestIn(ctx.sandboxId(), target).filter(RuntimeContainer::running)
                        .map(RuntimeContainer::id).orElse(null);
                if (targetId == null) {
                    String msg = "unable to find target container " + target;
                    ctx.w().waiting.put(c.getName(), new Waiting("CreateContainerConfigError", msg));
                    events.pod(ctx.pod(), "Warning", "Failed", "Error: " + msg, field(ctx.pod(), c));
                    next = min(next, Duration.ofSeconds(2));
                    continue;
                }
            }
            next = min(next, start(ctx, c, 0, targetId));
        }
        return next;
    }

    private Duration start(Context ctx, Container c, int restartCount) {
        return start(ctx, c, restartCount, null);
    }

    /** @param pidTarget the runtime ID of the container whose PID namespace it joins (ephemeral containers); or null */
    private Duration start(Context ctx, Container c, int restartCount, String pidTarget) {
        Pod pod = ctx.pod();
        PodWorker w = ctx.w();
        String name = c.getName();
        if (ctx.reported().compareAndSet(false, true)) {
            // before a pull and a start, as upstream's sync writes first: an init container that just ended shows, and
            // the app containers wait in PodInitializing, not behind the init container's last running state
            report(w, pod, ctx.rt());
        }
        Duration wait = ensureImage(ctx, c);
        w.trace.mark("image");
        if (wait != null) {
            return wait;
        }
        ContainerConfig config;
        try {
            String nonRoot = SecurityContexts.runAsNonRootViolation(pod, c, () -> imageOf(c.getImage()));
            if (nonRoot != null) {
                throw new ContainerConfigException(nonRoot);
            }
            Map<String, String> vars = env.resolve(pod, c, ctx.hostIp(), ctx.rt().podIp());
            List<io.kube4j.cri.v1.Mount> mounts = new ArrayList<>(volumes.mounts(pod, c, ctx.volumes()));
            mounts.add(terminationLogMount(pod, c, restartCount));
            ManagedEtcHosts.mount(volumes.podDir(pod.getMetadata().getUid()), pod, c, ctx.rt().podIp(),
                    configs.hostname(pod)).ifPresent(mounts::add);
            config = configs.container(pod, c, restartCount, vars, mounts);
            if (pidTarget != null) {
                config = ConfigFactory.withPidOf(config, ctx.sandboxConfig(), pidTarget);
            }
        } catch (ContainerConfigException e) {
            w.waiting.put(name, new Waiting("CreateContainerConfigError", e.getMessage()));
            events.pod(pod, "Warning", "Failed", "Error: " + e.getMessage(), field(pod, c));
            return Duration.ofSeconds(10);
        }
        String id;
        try {
            w.trace.mark("config");
            id = cri.createContainer(ctx.sandboxId(), config, ctx.sandboxConfig());
            w.trace.mark("create");
        } catch (StatusRuntimeException e) {
            w.waiting.put(name, new Waiting("CreateContainerError", describe(e)));
            events.pod(pod, "Warning", "Failed", "Error: " + describe(e), field(pod, c));
            return Duration.ofSeconds(10);
        }
        events.pod(pod, "Normal", "Created", "Created container " + name, field(pod, c));
        try {
            cri.startContainer(id);
            w.trace.mark("start");
        } catch (StatusRuntimeException e) {
            w.waiting.put(name, new Waiting("RunContainerError", describe(e)));
            events.pod(pod, "Warning", "Failed", "Error: " + describe(e), field(pod, c));
            return Duration.ofSeconds(1);
        }
        w.waiting.remove(name);
        events.pod(pod, "Normal", "Started", "Started container " + name, field(pod, c));
        LOG.info("pod {}/{}: container {} started ({}, restart {})", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                name, id, restartCount);
        if (c.getLifecycle() != null && c.getLifecycle().getPostStart() != null) {
            String failure = runHook(c.getLifecycle().getPostStart(), c, id, ctx.rt().podIp(), 30);
            if (failure != null) {
                events.pod(pod, "Warning", "FailedPostStartHook", failure, field(pod, c));
                stop(pod, c, RuntimeContainer.of(ctx.sandboxId(), cri.containerStatus(id)), ConfigFactory.gracePeriod(pod));
            }
        }
        return null;
    }

    private Path terminationLog(String podUid, String container, int restartCount) {
        return volumes.podDir(podUid).resolve("containers").resolve(container).resolve(Integer.toString(restartCount));
    }

    /** The file a container may write its termination message to (upstream's /dev/termination-log). */
    private io.kube4j.cri.v1.Mount terminationLogMount(Pod pod, Container c, int restartCount) {
        Path file = terminationLog(pod.getMetadata().getUid(), c.getName(), restartCount);
        try {
            java.nio.file.Files.createDirectories(file.getParent());
            java.nio.file.Files.write(file, new byte[0]);
            java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        } catch (java.io.IOException e) {
            throw new ContainerConfigException("cannot create termination log: " + e.getMessage());
        }
        String path = c.getTerminationMessagePath() == null || c.getTerminationMessagePath().isEmpty()
                ? "/dev/termination-log" : c.getTerminationMessagePath();
        return io.kube4j.cri.v1.Mount.newBuilder().setHostPath(file.toString()).setContainerPath(path).build();
    }

    /** What exited containers wrote to their termination log, or their log tail under FallbackToLogsOnError. */
    private Map<String, String> terminationMessages(Pod pod, PodRuntimeState rt) {
        Map<String, String> messages = new java.util.HashMap<>();
        for (RuntimeContainer rc : rt.containers()) {
            if (!rc.exited()) {
                continue;
            }
            String text = "";
            try {
                Path file = terminationLog(pod.getMetadata().getUid(), rc.name(), rc.restartCount());
                if (java.nio.file.Files.isRegularFile(file)) {
                    byte[] bytes = java.nio.file.Files.readAllBytes(file);
                    text = new String(bytes, 0, Math.min(bytes.length, 4096), java.nio.charset.StandardCharsets.UTF_8);
                }
                Container spec = find(pod, rc.name());
                if (text.isEmpty() && rc.exitCode() != 0 && spec != null
                        && "FallbackToLogsOnError".equals(spec.getTerminationMessagePolicy()) && !rc.status().getLogPath().isEmpty()) {
                    text = LogTail.lastLines(Path.of(rc.status().getLogPath()), 80, 2048);
                }
            } catch (java.io.IOException | RuntimeException e) {
                LOG.debug("cannot read termination message of {}: {}", rc.id(), e.toString());
            }
            if (!text.isEmpty()) {
                messages.put(rc.id(), text);
            }
        }
        return messages;
    }

    /** Pulls per imagePullPolicy; returns null when the image is there, else when to try again. */
    private Duration ensureImage(Context ctx, Container c) {
        Pod pod = ctx.pod();
        String image = c.getImage();
        String policy = c.getImagePullPolicy();
        if (policy == null) {
            policy = image.endsWith(":latest") || !image.substring(image.lastIndexOf('/') + 1).contains(":") ? "Always" : "IfNotPresent";
        }
        boolean present;
        try {
            present = cri.imageStatus(image).hasImage();
        } catch (StatusRuntimeException e) {
            present = false;
        }
        if ("Never".equals(policy)) {
            if (!present) {
                String msg = "Container image \"" + image + "\" is not present with pull policy of Never";
                ctx.w().waiting.put(c.getName(), new Waiting("ErrImageNeverPull", msg));
                events.pod(pod, "Warning", "ErrImageNeverPull", msg, field(pod, c));
                return Duration.ofSeconds(10);
            }
            return null;
        }
        if (present && "IfNotPresent".equals(policy)) {
            events.pod(pod, "Normal", "Pulled", ImagePullMessages.alreadyPresent(image), field(pod, c));
            return null;
        }
        String key = image;
        Waiting previous = ctx.w().waiting.get(c.getName());
        boolean failedBefore = previous != null && (previous.reason().equals("ErrImagePull") || previous.reason().equals("ImagePullBackOff"));
        if (failedBefore && imageBackOff.isInBackOffSince(key, lastImageFailure(key), ctx.now())) {
            ctx.w().waiting.put(c.getName(), new Waiting("ImagePullBackOff", "Back-off pulling image \"" + image + "\""));
            events.pod(pod, "Normal", "BackOff", "Back-off pulling image \"" + image + "\"", field(pod, c));
            // upstream's startContainer then reports the container not started, with the waiting reason
            events.pod(pod, "Warning", "Failed", "Error: ImagePullBackOff", field(pod, c));
            return imageBackOff.remaining(key, lastImageFailure(key), ctx.now()).plusMillis(50);
        }
        try {
            events.pod(pod, "Normal", "Pulling", "Pulling image \"" + image + "\"", field(pod, c));
            long start = System.nanoTime();
            cri.pullImage(image, ctx.sandboxConfig(), pullSecrets(pod).lookup(image));
            // As upstream's puller: the size is asked for once the pull is done, and counts in the pull's duration.
            long size = imageSize(image);
            Duration pull = Duration.ofNanos(System.nanoTime() - start);
            imageBackOff.reset(key);
            imageFailures.remove(key);
            events.pod(pod, "Normal", "Pulled", ImagePullMessages.pulled(image, pull,
                    Duration.ofNanos(System.nanoTime() - start), size), field(pod, c));
            return null;
        } catch (StatusRuntimeException e) {
            // even with a copy on the node: upstream's image manager never starts a container its pull policy
            // says to pull when the pull failed (Always offline is ErrImagePull, then ImagePullBackOff)
            imageBackOff.next(key, ctx.now());
            imageFailures.put(key, ctx.now());
            String msg = "Failed to pull image \"" + image + "\": " + describe(e);
            ctx.w().waiting.put(c.getName(), new Waiting("ErrImagePull", msg));
            events.pod(pod, "Warning", "Failed", msg, field(pod, c));
            events.pod(pod, "Warning", "Failed", "Error: ErrImagePull", field(pod, c));
            return imageBackOff.current(key).plusMillis(50);
        }
    }

    private final Map<String, Instant> imageFailures = new java.util.concurrent.ConcurrentHashMap<>();

    /** The image as the runtime has it (its user decides runAsNonRoot); a runtime error makes the container unconfigurable. */
    private io.kube4j.cri.v1.Image imageOf(String image) {
        try {
            return cri.imageStatus(image).getImage();
        } catch (StatusRuntimeException e) {
            throw new ContainerConfigException("cannot read the user of image \"" + image + "\": " + describe(e));
        }
    }

    /** The pulled image's size from the runtime; best effort as upstream's: 0 when the runtime cannot tell. */
    private long imageSize(String image) {
        try {
            var status = cri.imageStatus(image);
            return status.hasImage() ? status.getImage().getSize() : 0;
        } catch (StatusRuntimeException e) {
            return 0;
        }
    }

    /** The pod's imagePullSecrets (a missing one is skipped, as upstream: the pull may not need it). */
    private DockerKeyring pullSecrets(Pod pod) {
        if (pod.getSpec().getImagePullSecrets() == null || pod.getSpec().getImagePullSecrets().isEmpty()) {
            return DockerKeyring.empty();
        }
        List<Secret> secrets = new ArrayList<>();
        for (LocalObjectReference ref : pod.getSpec().getImagePullSecrets()) {
            Secret secret = ref.getName() == null ? null : env.objects().secret(pod.getMetadata().getNamespace(), ref.getName());
            if (secret == null) {
                LOG.info("pod {}/{}: pull secret {} not found, pulling without it", pod.getMetadata().getNamespace(),
                        pod.getMetadata().getName(), ref.getName());
            } else {
                secrets.add(secret);
            }
        }
        return DockerKeyring.of(secrets);
    }

    private Instant lastImageFailure(String key) {
        return imageFailures.getOrDefault(key, Instant.EPOCH);
    }

    /** The event's fieldPath for a container, as upstream's ref.GetReference: by the list the container is in. */
    private static String field(Pod pod, Container c) {
        String name = c.getName();
        if (initContainers(pod).stream().anyMatch(i -> name.equals(i.getName()))) {
            return "spec.initContainers{" + name + "}";
        }
        if (EphemeralContainers.of(pod).stream().anyMatch(e -> name.equals(e.getName()))) {
            return "spec.ephemeralContainers{" + name + "}";
        }
        return "spec.containers{" + name + "}";
    }

    /** A runtime error as upstream's kubelet prints one: grpc-go's status text, the code as Go names it. */
    static String describe(Exception e) {
        if (e instanceof StatusRuntimeException s) {
            return "rpc error: code = " + goCodeName(s.getStatus().getCode()) + " desc = " + s.getStatus().getDescription();
        }
        return e.getMessage();
    }

    /** grpc-go's codes.Code String(): INVALID_ARGUMENT is "InvalidArgument", CANCELLED "Canceled", OK "OK". */
    static String goCodeName(io.grpc.Status.Code code) {
        if (code == io.grpc.Status.Code.CANCELLED) {
            return "Canceled";
        }
        if (code == io.grpc.Status.Code.OK) {
            return "OK";
        }
        StringBuilder name = new StringBuilder();
        for (String word : code.name().split("_")) {
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        return name.toString();
    }

    /** Runs a lifecycle hook; returns a failure message or null. */
    private String runHook(LifecycleHandler handler, Container c, String containerId, String podIp, long timeoutSeconds) {
        if (handler.getExec() != null) {
            try {
                var r = cri.execSync(containerId, handler.getExec().getCommand(), timeoutSeconds);
                if (r.getExitCode() != 0) {
                    return "Exec lifecycle hook (" + handler.getExec().getCommand() + ") for Container \"" + c.getName()
                            + "\" failed - error: command exited with " + r.getExitCode() + ", message: \""
                            + r.getStderr().toStringUtf8() + r.getStdout().toStringUtf8() + "\"";
                }
                return null;
            } catch (StatusRuntimeException e) {
                return "Exec lifecycle hook for Container \"" + c.getName() + "\" failed - error: " + describe(e);
            }
        }
        if (handler.getHttpGet() != null) {
            var probe = new io.fabric8.kubernetes.api.model.ProbeBuilder().withHttpGet(handler.getHttpGet())
                    .withTimeoutSeconds((int) Math.max(1, timeoutSeconds)).build();
            var r = hooks.probe(probe, c, containerId, podIp);
            return r == io.kube4j.kubelet.prober.ProbeResult.SUCCESS ? null : "HTTP lifecycle hook for Container \"" + c.getName() + "\" failed";
        }
        if (handler.getSleep() != null && handler.getSleep().getSeconds() != null) {
            try {
                Thread.sleep(Math.min(timeoutSeconds, handler.getSleep().getSeconds()) * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return null;
    }

    /** preStop, then SIGTERM and SIGKILL at the deadline (the runtime's StopContainer timeout). */
    private void stop(Pod pod, Container c, RuntimeContainer rc, long graceSeconds) {
        long deadline = System.nanoTime() + graceSeconds * 1_000_000_000L;
        if (c != null && c.getLifecycle() != null && c.getLifecycle().getPreStop() != null && rc.running()) {
            String failure = runHook(c.getLifecycle().getPreStop(), c, rc.id(), "", Math.max(1, graceSeconds));
            if (failure != null) {
                events.pod(pod, "Warning", "FailedPreStopHook", failure, field(pod, c));
            }
        }
        long left = Math.max(0, (deadline - System.nanoTime() + 999_999_999L) / 1_000_000_000L);
        // upstream grants at least 2 s after preStop
        long timeout = c != null && c.getLifecycle() != null && c.getLifecycle().getPreStop() != null ? Math.max(2, left) : left;
        try {
            cri.stopContainer(rc.id(), timeout);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != io.grpc.Status.Code.NOT_FOUND) {
                LOG.warn("cannot stop container {}: {}", rc.id(), describe(e));
            }
        }
        reader.forgetContainer(rc.id());
    }

    private void killAll(Pod pod, PodRuntimeState rt, long graceSeconds) {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (RuntimeContainer rc : rt.containers()) {
            if (rc.running() || rc.created()) {
                Container spec = find(pod, rc.name());
                stops.add(CompletableFuture.runAsync(() -> stop(pod, spec, rc, graceSeconds), killers));
            }
        }
        stops.forEach(CompletableFuture::join);
        for (PodSandbox s : rt.sandboxes()) {
            if (s.getState() == PodSandboxState.SANDBOX_READY) {
                try {
                    cri.stopPodSandbox(s.getId());
                } catch (StatusRuntimeException e) {
                    LOG.warn("cannot stop sandbox {}: {}", s.getId(), describe(e));
                }
            }
        }
    }

    private static Container find(Pod pod, String name) {
        for (Container c : pod.getSpec().getContainers()) {
            if (c.getName().equals(name)) {
                return c;
            }
        }
        for (Container c : initContainers(pod)) {
            if (c.getName().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /**
     * Stops the pod's containers and sandbox off the sync pool and returns at once: a grace period can last minutes
     * (a PID 1 that ignores SIGTERM waits all of it), and a sync thread held that long would leave other pods - their
     * starts, and the removal of containers that already stopped - queued behind it. The end of the kill wakes the
     * worker, whose next sync removes what is left. A shorter grace period arriving meanwhile (a second delete with
     * --grace-period, a forced delete) starts a second, shorter stop, as upstream's pod workers do.
     */
    private Duration killInBackground(PodWorker w, Pod pod, PodRuntimeState rt, long grace, boolean deleting) {
        if (w.killing != null && !w.killing.isDone()) {
            if (grace < w.killGraceSeconds) {
                LOG.info("pod {}/{}: grace period shortened to {}s", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), grace);
                w.killGraceSeconds = grace;
                w.killing = CompletableFuture.allOf(w.killing, startKill(w, pod, rt, grace));
            }
            if (!w.removed) {
                report(w, pod, rt);
            }
            return null;
        }
        if (w.killEndedAt != null && Duration.between(w.killEndedAt, Instant.now()).compareTo(Duration.ofSeconds(1)) < 0) {
            // the last stop ended and something still runs (the runtime refused?): retry, but not in a tight loop
            return Duration.ofSeconds(1);
        }
        if (deleting && w.killGraceSeconds == Long.MAX_VALUE) { // the first stop of the whole pod
            for (Container c : pod.getSpec().getContainers()) {
                if (rt.latest(c.getName()).filter(RuntimeContainer::running).isPresent()) {
                    events.pod(pod, "Normal", "Killing", "Stopping container " + c.getName(), field(pod, c));
                }
            }
        }
        w.killGraceSeconds = grace;
        w.killing = startKill(w, pod, rt, grace);
        if (!w.removed) {
            report(w, pod, rt);
        }
        return null;
    }

    private CompletableFuture<Void> startKill(PodWorker w, Pod pod, PodRuntimeState rt, long grace) {
        return CompletableFuture.runAsync(() -> killAll(pod, rt, grace), killers).whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.warn("pod {}/{}: stopping failed: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), failure.toString());
            }
            w.killEndedAt = Instant.now();
            w.wake.run();
        });
    }

    private Duration terminate(PodWorker w, Pod pod, PodRuntimeState rt, boolean deleting) {
        long grace = pod.getMetadata().getDeletionGracePeriodSeconds() != null ? pod.getMetadata().getDeletionGracePeriodSeconds()
                : ConfigFactory.gracePeriod(pod);
        if (w.graceOverride != null) {
            grace = Math.min(grace, w.graceOverride);
        }
        if (rt.hasRunning() || rt.readySandbox().isPresent()) {
            return killInBackground(w, pod, rt, grace, deleting);
        }
        probes.forget(w.uid);
        if (!w.removed) {
            report(w, pod, rt);
        }
        if (!deleting) {
            return null;
        }
        // Deleted: clean up everything and let the API server forget the pod.
        for (RuntimeContainer rc : rt.containers()) {
            try {
                cri.removeContainer(rc.id());
            } catch (StatusRuntimeException e) {
                LOG.debug("cannot remove container {}: {}", rc.id(), describe(e));
            }
            reader.forgetContainer(rc.id());
        }
        for (PodSandbox s : rt.sandboxes()) {
            try {
                cri.removePodSandbox(s.getId());
            } catch (StatusRuntimeException e) {
                LOG.debug("cannot remove sandbox {}: {}", s.getId(), describe(e));
            }
            reader.forgetSandbox(s.getId());
        }
        volumes.tearDown(w.uid);
        // upstream's container GC removes a deleted pod's log directory; left behind, it grows with every pod ever run
        try {
            io.kube4j.kubelet.volume.AtomicWriter.deleteTree(configs.podLogDirectory(pod));
        } catch (java.io.IOException e) {
            LOG.warn("cannot remove the logs of pod {}/{}: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                    e.getMessage());
        }
        cgroups.remove(pod);
        crashBackOff.forgetPrefix(w.uid + "/");
        if (!w.removed) {
            // the status manager writes from its own thread: the pod's final status reaches the API before the pod goes
            statuses.flush(w.uid);
            try {
                client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                        .withGracePeriod(0).delete();
            } catch (RuntimeException e) {
                LOG.warn("cannot delete pod {}/{}: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), e.getMessage());
                return Duration.ofSeconds(2);
            }
        }
        statuses.forget(w.uid);
        w.finished = true;
        LOG.info("pod {}/{} terminated and removed", pod.getMetadata().getNamespace(), pod.getMetadata().getName());
        return null;
    }

    /** Keeps the newest exited instance of each container (it is the lastState); removes older ones and dead sandboxes. */
    private void removeOldContainers(PodRuntimeState rt, String currentSandbox) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (RuntimeContainer rc : rt.containers()) {
            boolean newest = seen.add(rc.name());
            if (!newest && rc.exited()) {
                boolean keepPrevious = seen.contains(rc.name() + "#prev") ? false : seen.add(rc.name() + "#prev");
                if (keepPrevious) {
                    continue;
                }
                try {
                    removeLog(rc);
                    cri.removeContainer(rc.id());
                    reader.forgetContainer(rc.id());
                } catch (StatusRuntimeException e) {
                    LOG.debug("cannot remove container {}: {}", rc.id(), describe(e));
                }
            }
        }
        for (PodSandbox s : rt.sandboxes()) {
            if (!s.getId().equals(currentSandbox) && s.getState() == PodSandboxState.SANDBOX_NOTREADY
                    && rt.containers().stream().noneMatch(c -> c.sandboxId().equals(s.getId()))) {
                try {
                    cri.removePodSandbox(s.getId());
                    reader.forgetSandbox(s.getId());
                } catch (StatusRuntimeException e) {
                    LOG.debug("cannot remove sandbox {}: {}", s.getId(), describe(e));
                }
            }
        }
    }

    /** As upstream's kubelet, a container's log goes with it: the runtime leaves the file to its owner. */
    private static void removeLog(RuntimeContainer rc) {
        String path = rc.status() == null ? "" : rc.status().getLogPath();
        if (path.isEmpty()) {
            return;
        }
        try {
            java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(path));
        } catch (java.io.IOException e) {
            LOG.debug("cannot remove log {} of container {}: {}", path, rc.id(), e.getMessage());
        }
    }

    private void report(PodWorker w, Pod pod, PodRuntimeState rt) {
        PodStatus status = PodStatusGenerator.generate(new StatusInput(pod, rt, w.waiting, probes, hostIp.get(),
                runtimeName.get(), Instant.now(), w.terminalReason, terminationMessages(pod, rt), statuses.latest(w.uid)));
        statuses.update(pod, status);
        w.trace.mark("status");
        w.reportPhase(pod.getStatus() == null ? null : pod.getStatus().getPhase(), status.getPhase());
    }
}
