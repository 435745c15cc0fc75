package io.kube4j.proxy.nft;

/** nft refused a transaction or could not be run. */
public final class NftException extends Exception {

    public NftException(String message) {
        super(message);
    }

    public NftException(String message, Throwable cause) {
        super(message, cause);
    }
}
