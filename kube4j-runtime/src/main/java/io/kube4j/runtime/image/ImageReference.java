package io.kube4j.runtime.image;

import java.util.regex.Pattern;

/**
 * A normalised image reference, following Docker's rules: {@code busybox} is
 * {@code docker.io/library/busybox:latest}; a first path component with a dot, a colon or
 * {@code localhost} is a registry host.
 */
public record ImageReference(String domain, String path, String tag, String digest) {
    public static final String DEFAULT_DOMAIN = "docker.io";
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DOMAIN = Pattern.compile("(?:[a-zA-Z0-9-]+\\.)*[a-zA-Z0-9-]+(?::[0-9]+)?|\\[[0-9a-fA-F:]+\\](?::[0-9]+)?");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    /** Parses a reference, or throws {@link IllegalArgumentException} saying what is wrong with it. */
    public static ImageReference parse(String reference) {
        if (reference == null || reference.isBlank()) {
            throw new IllegalArgumentException("image reference is empty");
        }
        String rest = reference.trim();
        String digest = "";
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw new IllegalArgumentException("invalid image reference \"" + reference + "\": bad digest \"" + digest + "\"");
            }
        }
        String tag = "";
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("invalid image reference \"" + reference + "\": bad tag \"" + tag + "\"");
            }
        }
        String domain = DEFAULT_DOMAIN;
        String path = rest;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || !first.equals(first.toLowerCase())) {
                domain = first;
                path = rest.substring(slash + 1);
                if (!DOMAIN.matcher(domain).matches()) {
                    throw new IllegalArgumentException("invalid image reference \"" + reference + "\": bad registry \"" + domain + "\"");
                }
            }
        }
        if (domain.equals("index.docker.io")) {
            domain = DEFAULT_DOMAIN;
        }
        if (path.isEmpty()) {
            throw new IllegalArgumentException("invalid image reference \"" + reference + "\": no repository name");
        }
        for (String component : path.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw new IllegalArgumentException("invalid image reference \"" + reference
                        + "\": repository name must be lowercase letters, digits and separators");
            }
        }
        if (domain.equals(DEFAULT_DOMAIN) && !path.contains("/")) {
            path = "library/" + path;
        }
        if (tag.isEmpty() && digest.isEmpty()) {
            tag = "latest";
        }
        return new ImageReference(domain, path, tag, digest);
    }

    /** domain/path, e.g. docker.io/library/busybox. */
    public String repository() {
        return domain + "/" + path;
    }

    /** The canonical full name: repository:tag, or repository@digest when there is no tag. */
    @Override
    public String toString() {
        if (!tag.isEmpty()) {
            return repository() + ":" + tag + (digest.isEmpty() ? "" : "@" + digest);
        }
        return repository() + "@" + digest;
    }

    public boolean hasTag() {
        return !tag.isEmpty();
    }

    public boolean hasDigest() {
        return !digest.isEmpty();
    }

    public String taggedName() {
        return repository() + ":" + tag;
    }

    /** The short name Docker shows for official images (busybox:latest), or the full name. */
    public String familiarName() {
        if (domain.equals(DEFAULT_DOMAIN) && path.startsWith("library/") && hasTag()) {
            return path.substring("library/".length()) + ":" + tag;
        }
        return taggedName();
    }
}
