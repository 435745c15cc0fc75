package io.kube4j.e2e;

/**
 * The workload the tests that reach pods through a Service apply: Deployment {@code web}, two busybox httpd replicas
 * on port 8080 that answer {@code served-by-<pod name>} and log {@code started} once, and Service {@code web} (port
 * 80, named {@code http}) in front of them, all in the default namespace.
 */
final class WebApp {
    static final String MANIFEST = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: web
                    image: busybox
                    imagePullPolicy: IfNotPresent
                    command: ["sh", "-c", "mkdir -p /www && echo served-by-$(hostname) > /www/index.html && echo started && exec httpd -f -p 8080 -h /www"]
                    ports: [{containerPort: 8080}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              selector: {app: web}
              ports: [{name: http, port: 80, targetPort: 8080}]
            """;

    private WebApp() {
    }
}
