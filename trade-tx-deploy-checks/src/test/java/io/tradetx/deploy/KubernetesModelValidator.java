package io.tradetx.deploy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.internal.KubernetesDeserializer;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Validates a Kubernetes object of a built-in kind strictly: it is deserialized into the fabric8
 * Kubernetes model (generated from the Kubernetes OpenAPI) with no type coercion, every field the
 * model does not know is an error, and the required fields the API server enforces are checked.
 */
final class KubernetesModelValidator {
    private static final KubernetesDeserializer KINDS = new KubernetesDeserializer();
    /** No coercions: "45" is not an integer and 8000 is not a string, as for the API server. */
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
            .build();

    private KubernetesModelValidator() {
    }

    /** True when the Kubernetes model has a class for this apiVersion and kind. */
    static boolean knows(String apiVersion, String kind) {
        return KINDS.getRegisteredKind(apiVersion, kind) != null;
    }

    /** Every violation as {@code path: problem}; empty when the object is valid. */
    static List<String> validate(Map<String, Object> object) {
        Class<? extends KubernetesResource> type =
                KINDS.getRegisteredKind((String) object.get("apiVersion"), (String) object.get("kind"));
        return validate(object, Objects.requireNonNull(type, "no Kubernetes model for this kind"));
    }

    /** Validates a value that must be a {@code type} (e.g. the {@code metadata} of a custom resource). */
    static List<String> validate(Object value, Class<?> type) {
        Object model;
        try {
            model = MAPPER.convertValue(value, type);
        } catch (JacksonException e) {
            return List.of(path(e) + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
        List<String> errors = new ArrayList<>();
        unknownFields(model, "", errors);
        if (model instanceof HasMetadata resource) {
            requiredFields(resource, errors);
        }
        return errors;
    }

    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "(root)" : path.toString();
    }

    // --- unknown fields: the model keeps them in additionalProperties instead of failing --------

    private static void unknownFields(Object value, String path, List<String> errors) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, errors));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                unknownFields(list.get(i), path + "[" + i + "]", errors);
            }
        } else if (value != null && value.getClass().getName().startsWith("io.fabric8.")) {
            for (Class<?> c = value.getClass(); c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers())) {
                        continue;
                    }
                    Object fieldValue = read(f, value);
                    if (f.getName().equals("additionalProperties")) {
                        if (fieldValue instanceof Map<?, ?> extra) {
                            extra.keySet().forEach(k -> errors.add(CrdSchemaValidator.join(path, k.toString())
                                    + ": unknown field"));
                        }
                        continue;
                    }
                    JsonProperty json = f.getAnnotation(JsonProperty.class);
                    String name = json != null && !json.value().isEmpty() ? json.value() : f.getName();
                    unknownFields(fieldValue, CrdSchemaValidator.join(path, name), errors);
                }
            }
        }
    }

    private static Object read(Field f, Object owner) {
        try {
            f.setAccessible(true);
            return f.get(owner);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read " + f, e);
        }
    }

    // --- required fields: a subset of the API server's validation --------------------------------

    private static void requiredFields(HasMetadata resource, List<String> errors) {
        ObjectMeta meta = resource.getMetadata();
        String name = meta == null ? null : meta.getName();
        if (name == null || !name.matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")) {
            errors.add("metadata.name: required, a lower-case DNS subdomain; got " + name);
        }
        if (resource instanceof Deployment d) {
            podTemplate(d.getSpec() == null ? null : d.getSpec().getSelector(),
                    d.getSpec() == null ? null : d.getSpec().getTemplate(), errors);
        } else if (resource instanceof StatefulSet s) {
            podTemplate(s.getSpec() == null ? null : s.getSpec().getSelector(),
                    s.getSpec() == null ? null : s.getSpec().getTemplate(), errors);
        } else if (resource instanceof DaemonSet s) {
            podTemplate(s.getSpec() == null ? null : s.getSpec().getSelector(),
                    s.getSpec() == null ? null : s.getSpec().getTemplate(), errors);
        } else if (resource instanceof Service s) {
            List<ServicePort> ports = s.getSpec() == null ? null : s.getSpec().getPorts();
            if (ports == null || ports.isEmpty()) {
                errors.add("spec.ports: required, at least one port");
            } else {
                for (int i = 0; i < ports.size(); i++) {
                    port(ports.get(i).getPort(), "spec.ports[" + i + "].port", errors);
                }
            }
        } else if (resource instanceof PodDisruptionBudget p) {
            if (p.getSpec() == null || p.getSpec().getSelector() == null) {
                errors.add("spec.selector: required");
            } else if ((p.getSpec().getMinAvailable() == null) == (p.getSpec().getMaxUnavailable() == null)) {
                errors.add("spec: exactly one of minAvailable and maxUnavailable is required");
            }
        } else if (resource instanceof PriorityClass p && p.getValue() == null) {
            errors.add("value: required");
        }
    }

    private static void podTemplate(LabelSelector selector, PodTemplateSpec template, List<String> errors) {
        if (selector == null || selector.getMatchLabels() == null && selector.getMatchExpressions() == null) {
            errors.add("spec.selector: required");
        }
        if (template == null || template.getSpec() == null) {
            errors.add("spec.template.spec: required");
            return;
        }
        Map<String, String> labels = template.getMetadata() == null ? null : template.getMetadata().getLabels();
        if (selector != null && selector.getMatchLabels() != null) {
            selector.getMatchLabels().forEach((k, v) -> {
                if (labels == null || !v.equals(labels.get(k))) {
                    errors.add("spec.template.metadata.labels: does not match spec.selector (" + k + "=" + v + ")");
                }
            });
        }
        PodSpec pod = template.getSpec();
        Set<String> volumes = pod.getVolumes() == null ? Set.of()
                : pod.getVolumes().stream().map(Volume::getName).collect(Collectors.toSet());
        List<Container> containers = pod.getContainers();
        if (containers == null || containers.isEmpty()) {
            errors.add("spec.template.spec.containers: required, at least one container");
            return;
        }
        for (int i = 0; i < containers.size(); i++) {
            container(containers.get(i), "spec.template.spec.containers[" + i + "]", volumes, errors);
        }
    }

    private static void container(Container c, String path, Set<String> volumes, List<String> errors) {
        if (c.getName() == null || !c.getName().matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            errors.add(path + ".name: required, a DNS label; got " + c.getName());
        }
        if (c.getImage() == null || c.getImage().isBlank()) {
            errors.add(path + ".image: required");
        }
        List<ContainerPort> ports = c.getPorts() == null ? List.of() : c.getPorts();
        for (int i = 0; i < ports.size(); i++) {
            port(ports.get(i).getContainerPort(), path + ".ports[" + i + "].containerPort", errors);
            String portName = ports.get(i).getName();
            if (portName != null && !portName.matches("[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?")) {
                errors.add(path + ".ports[" + i + "].name: at most 15 characters of a-z, 0-9, -; got " + portName);
            }
        }
        Set<String> portNames = ports.stream().map(ContainerPort::getName).filter(Objects::nonNull)
                .collect(Collectors.toSet());
        List<EnvVar> env = c.getEnv() == null ? List.of() : c.getEnv();
        for (int i = 0; i < env.size(); i++) {
            if (env.get(i).getName() == null || env.get(i).getName().isEmpty()) {
                errors.add(path + ".env[" + i + "].name: required");
            }
        }
        List<VolumeMount> mounts = c.getVolumeMounts() == null ? List.of() : c.getVolumeMounts();
        for (int i = 0; i < mounts.size(); i++) {
            if (!volumes.contains(mounts.get(i).getName())) {
                errors.add(path + ".volumeMounts[" + i + "].name: no volume named " + mounts.get(i).getName());
            }
            if (mounts.get(i).getMountPath() == null || mounts.get(i).getMountPath().isEmpty()) {
                errors.add(path + ".volumeMounts[" + i + "].mountPath: required");
            }
        }
        probe(c.getStartupProbe(), path + ".startupProbe", portNames, errors);
        probe(c.getReadinessProbe(), path + ".readinessProbe", portNames, errors);
        probe(c.getLivenessProbe(), path + ".livenessProbe", portNames, errors);
    }

    private static void probe(Probe p, String path, Set<String> portNames, List<String> errors) {
        if (p == null) {
            return;
        }
        long handlers = Stream.of(p.getHttpGet(), p.getTcpSocket(), p.getExec(), p.getGrpc())
                .filter(Objects::nonNull).count();
        if (handlers != 1) {
            errors.add(path + ": exactly one of httpGet, tcpSocket, exec, grpc is required");
        }
        if (p.getHttpGet() != null && p.getHttpGet().getPort() != null && p.getHttpGet().getPort().getStrVal() != null
                && !portNames.contains(p.getHttpGet().getPort().getStrVal())) {
            errors.add(path + ".httpGet.port: no container port named " + p.getHttpGet().getPort().getStrVal());
        }
    }

    private static void port(Integer port, String path, List<String> errors) {
        if (port == null || port < 1 || port > 65535) {
            errors.add(path + ": required, 1-65535; got " + port);
        }
    }
}
