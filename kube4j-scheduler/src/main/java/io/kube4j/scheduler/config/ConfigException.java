package io.kube4j.scheduler.config;

/** A bad scheduler configuration; the message is one line that names the offending field. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) { super(message); }
}
