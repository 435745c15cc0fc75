package io.kube4j.controllers;

import io.kube4j.controllers.framework.Controller;
import java.util.function.Function;

/**
 * A named controller, the kube-system service account it acts as (upstream's name, bound to the ClusterRole
 * {@code system:controller:<serviceAccount>}), and how to build it; the factory returns null when the flags leave
 * it nothing to do.
 */
public record ControllerDescriptor(String name, String serviceAccount, Function<ControllerContext, Controller> factory) {
}
