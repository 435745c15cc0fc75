package io.kube4j.runtime.image;

/** No image in the store matches a reference or ID. */
public class ImageNotFoundException extends RuntimeException {
    public ImageNotFoundException(String image) {
        super("image \"" + image + "\" not found: pull it or import an archive first");
    }

    public ImageNotFoundException(String image, String registry) {
        super("image \"" + image + "\" not found in registry " + registry);
    }
}
