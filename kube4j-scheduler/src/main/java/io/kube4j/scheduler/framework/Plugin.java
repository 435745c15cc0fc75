package io.kube4j.scheduler.framework;

/** Every scheduler plugin has a name unique within a profile. */
public interface Plugin {
    String name();
}
