package io.kube4j.controllers.framework;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** Builds informer event handlers from lambdas. */
public final class Handlers {
    private Handlers() {
    }

    public static <T> ResourceEventHandler<T> of(Consumer<T> onAdd, BiConsumer<T, T> onUpdate, Consumer<T> onDelete) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                onAdd.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                onUpdate.accept(oldObj, newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                onDelete.accept(obj);
            }
        };
    }

    /** A handler that reacts the same way to every change of an object. */
    public static <T> ResourceEventHandler<T> any(Consumer<T> onChange) {
        return of(onChange, (o, n) -> onChange.accept(n), onChange);
    }
}
