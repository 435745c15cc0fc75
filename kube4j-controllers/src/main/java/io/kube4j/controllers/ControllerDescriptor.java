package io.kube4j.controllers;

import io.kube4j.controllers.framework.Controller;
import java.util.function.Function;

/** A named controller and how to build it; the factory returns null when the flags leave it nothing to do. */
public record ControllerDescriptor(String name, Function<ControllerContext, Controller> factory) {
}
