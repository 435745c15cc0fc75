package io.kube4j.scheduler.config;

import io.kube4j.scheduler.framework.Parallelizer;
import io.kube4j.scheduler.framework.runtime.ClusterListers;
import io.kube4j.scheduler.framework.runtime.FrameworkImpl;
import io.kube4j.scheduler.plugins.noderesources.NodeResourcesFit;
import io.kube4j.scheduler.plugins.noderesources.ScoringStrategy;
import io.kube4j.scheduler.profile.ProfileBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    private static final String HEADER = "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n";

    private static FrameworkImpl build(Profile p) {
        return ProfileBuilder.build(p, new Parallelizer(1), null, ClusterListers.EMPTY);
    }

    @Test
    void defaultProfileHasUpstreamPluginsAndWeights() {
        SchedulerConfiguration c = ConfigLoader.parse(HEADER);
        assertThat(c.profiles()).hasSize(1);
        FrameworkImpl fw = build(c.profiles().get(0));
        assertThat(fw.profileName()).isEqualTo("default-scheduler");
        assertThat(fw.listPlugins().get("filter")).containsExactly("NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity",
                "NodePorts", "NodeResourcesFit", "VolumeBinding", "PodTopologySpread", "InterPodAffinity");
        assertThat(fw.listPlugins().get("score")).containsExactly("TaintToleration=3", "NodeAffinity=2", "NodeResourcesFit=1",
                "PodTopologySpread=2", "InterPodAffinity=2", "NodeResourcesBalancedAllocation=1", "ImageLocality=1");
        assertThat(fw.listPlugins().get("postFilter")).containsExactly("DefaultPreemption");
        assertThat(fw.listPlugins().get("bind")).containsExactly("DefaultBinder");
        assertThat(c.leaderElection().leaderElect()).isTrue();
        assertThat(c.podMaxBackoff()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void profilesEnableDisableWeightsAndArgs() {
        SchedulerConfiguration c = ConfigLoader.parse(HEADER + """
                percentageOfNodesToScore: 30
                leaderElection:
                  leaderElect: false
                  leaseDuration: 20s
                profiles:
                  - schedulerName: default-scheduler
                  - schedulerName: bin-packer
                    percentageOfNodesToScore: 100
                    plugins:
                      score:
                        disabled:
                          - name: ImageLocality
                          - name: NodeResourcesBalancedAllocation
                        enabled:
                          - name: NodeResourcesFit
                            weight: 5
                      preScore:
                        disabled:
                          - name: "*"
                    pluginConfig:
                      - name: NodeResourcesFit
                        args:
                          scoringStrategy:
                            type: MostAllocated
                            resources:
                              - name: cpu
                                weight: 2
                              - name: memory
                                weight: 1
                """);
        assertThat(c.percentageOfNodesToScore()).isEqualTo(30);
        assertThat(c.leaderElection().leaderElect()).isFalse();
        assertThat(c.leaderElection().leaseDuration()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.profiles()).extracting(Profile::schedulerName).containsExactly("default-scheduler", "bin-packer");
        assertThat(c.profiles().get(1).percentageOfNodesToScore()).isEqualTo(100);
        FrameworkImpl fw = build(c.profiles().get(1));
        assertThat(fw.listPlugins().get("score")).doesNotContain("ImageLocality=1", "NodeResourcesBalancedAllocation=1").contains("NodeResourcesFit=5");
        assertThat(fw.listPlugins().get("preScore")).isEmpty();
        NodeResourcesFit fit = (NodeResourcesFit) fw.instance(NodeResourcesFit.NAME, h -> null);
        assertThat(fit.strategy().type()).isEqualTo(ScoringStrategy.Type.MostAllocated);
        assertThat(fit.strategy().resources()).containsExactly(new ScoringStrategy.ResourceWeight("cpu", 2), new ScoringStrategy.ResourceWeight("memory", 1));
    }

    @Test
    void multiPointDisableAll() {
        SchedulerConfiguration c = ConfigLoader.parse(HEADER + """
                profiles:
                  - schedulerName: minimal
                    plugins:
                      multiPoint:
                        disabled:
                          - name: "*"
                        enabled:
                          - name: PrioritySort
                          - name: NodeResourcesFit
                            weight: 3
                          - name: DefaultBinder
                """);
        FrameworkImpl fw = build(c.profiles().get(0));
        assertThat(fw.listPlugins().get("filter")).containsExactly("NodeResourcesFit");
        assertThat(fw.listPlugins().get("score")).containsExactly("NodeResourcesFit=3");
    }

    @Test
    void badInputNamesTheField() {
        assertThatThrownBy(() -> ConfigLoader.parse(HEADER + "profiles:\n  - plugins:\n      score:\n        enabled:\n          - name: Nope\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("profiles[0].plugins.score.enabled[0].name: Invalid value: \"Nope\": unknown plugin");
        assertThatThrownBy(() -> ConfigLoader.parse(HEADER + "profiles:\n  - plugins:\n      score:\n        enabled:\n          - name: ImageLocality\n            weight: -2\n"))
                .hasMessage("profiles[0].plugins.score.enabled[0].weight: Invalid value: -2: must be in the range [0, 100]");
        assertThatThrownBy(() -> ConfigLoader.parse(HEADER + "profiles:\n  - plugins:\n      score:\n        enabled:\n          - name: ImageLocality\n            weight: heavy\n"))
                .hasMessage("profiles[0].plugins.score.enabled[0].weight: Invalid value: \"heavy\": must be an integer");
        assertThatThrownBy(() -> ConfigLoader.parse(HEADER + "percentageOfNodesToScore: 120\n"))
                .hasMessage("percentageOfNodesToScore: Invalid value: 120: not in valid range [0-100]");
        assertThatThrownBy(() -> ConfigLoader.parse(HEADER + "profiles:\n  - schedulerName: a\n  - schedulerName: a\n"))
                .hasMessage("profiles[1].schedulerName: Duplicate value: \"a\"");
        assertThatThrownBy(() -> ConfigLoader.parse(HEADER + "profiles:\n  - schedulerName: a\n    colour: red\n"))
                .hasMessage("profiles[0].colour: unknown field \"colour\"");
        assertThatThrownBy(() -> ConfigLoader.parse("apiVersion: kubescheduler.config.k8s.io/v1beta3\nkind: KubeSchedulerConfiguration\n"))
                .hasMessageStartingWith("apiVersion: Unsupported value: \"kubescheduler.config.k8s.io/v1beta3\"");
        assertThatThrownBy(() -> ConfigLoader.parse(HEADER + "profiles:\n  - pluginConfig:\n      - name: NodeResourcesFit\n        args:\n          scoringStrategy:\n            type: Random\n"))
                .hasMessageStartingWith("profiles[0].pluginConfig[0].args.scoringStrategy.type: Unsupported value: \"Random\"");
        assertThatThrownBy(() -> ConfigLoader.parse(HEADER + "profiles: [\n  - {"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid YAML in scheduler config (line")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void upstreamPluginsKube4jDoesNotImplementAreAccepted() {
        SchedulerConfiguration c = ConfigLoader.parse(HEADER + "profiles:\n  - plugins:\n      multiPoint:\n        disabled:\n          - name: VolumeZone\n");
        assertThat(build(c.profiles().get(0)).listPlugins().get("filter")).contains("NodeResourcesFit");
        assertThat(List.of(c.profiles().get(0).pluginSet("multiPoint").disabled())).hasSize(1);
    }
}
