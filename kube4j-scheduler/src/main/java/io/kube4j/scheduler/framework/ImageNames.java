package io.kube4j.scheduler.framework;

/** Image references as the kubelet reports them: a tag-less name means :latest. */
public final class ImageNames {
    private ImageNames() {}

    public static String normalize(String image) {
        if (image.contains("@")) return image;
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (colon > slash) return image;
        return image + ":latest";
    }
}
