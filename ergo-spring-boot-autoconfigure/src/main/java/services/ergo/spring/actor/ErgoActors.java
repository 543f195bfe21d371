package services.ergo.spring.actor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import services.ergo.gen.Node;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessBehavior;
import services.ergo.gen.ProcessFactory;
import services.ergo.leader.LeaderActor;

/**
 * The {@link ErgoActor} beans of the application context, and the way to spawn one on demand.
 *
 * <pre>{@code
 * @RestController
 * class Jobs {
 *     private final ErgoActors actors;
 *
 *     Jobs(ErgoActors actors) { this.actors = actors; }
 *
 *     @PostMapping("/sessions")
 *     String open() {
 *         return actors.spawn(Session.class).toString();
 *     }
 * }
 * }</pre>
 */
public final class ErgoActors {
    private final ConfigurableListableBeanFactory beans;
    private final Node node;
    private final Map<String, ErgoActorDefinition> definitions;
    private final Map<String, ErgoApplicationDefinition> applications;
    private final List<Consumer<ProcessBehavior>> instanceListeners = new CopyOnWriteArrayList<>();

    private ErgoActors(
            ConfigurableListableBeanFactory beans,
            Node node,
            Map<String, ErgoActorDefinition> definitions,
            Map<String, ErgoApplicationDefinition> applications) {
        this.beans = beans;
        this.node = node;
        this.definitions = Collections.unmodifiableMap(definitions);
        this.applications = Collections.unmodifiableMap(applications);
    }

    /**
     * Finds the {@link ErgoActor} and {@link ErgoApplication} declarations among the bean definitions, without
     * creating a bean. Fails with a message naming the class when a declaration cannot work.
     */
    public static ErgoActors scan(ConfigurableListableBeanFactory beans, Node node) {
        Map<String, ErgoActorDefinition> actors = new LinkedHashMap<>();
        for (String beanName : beans.getBeanNamesForAnnotation(ErgoActor.class)) {
            Class<?> type = beans.getType(beanName, false);
            ErgoActor a = beans.findAnnotationOnBean(beanName, ErgoActor.class, false);
            if (type == null || a == null) {
                continue;
            }
            if (!ProcessBehavior.class.isAssignableFrom(type)) {
                throw new IllegalStateException("@ErgoActor " + type.getName()
                        + " is not a process: extend services.ergo.act.Actor (or implement ProcessBehavior)");
            }
            if (LeaderActor.class.isAssignableFrom(type) && (a.name().isEmpty() || a.instances() != 1)) {
                throw new IllegalStateException("@ErgoActor " + type.getName()
                        + " is a leader actor: it needs a name (its peers address it as name@node) and one instance");
            }
            BeanDefinition bd = beans.getMergedBeanDefinition(beanName);
            if (!bd.isPrototype()) {
                throw new IllegalStateException("@ErgoActor " + type.getName() + " has scope '" + bd.getScope()
                        + "': an actor bean must be prototype-scoped, every process gets its own instance");
            }
            actors.put(
                    beanName,
                    new ErgoActorDefinition(
                            beanName,
                            type,
                            a.name(),
                            a.application(),
                            a.instances(),
                            a.mailboxSize(),
                            a.start(),
                            a.remoteSpawn()));
        }
        checkNamesUnique(actors.values());
        Map<String, ErgoApplicationDefinition> applications = new LinkedHashMap<>();
        for (String beanName : beans.getBeanDefinitionNames()) {
            Class<?> type = beans.getType(beanName, false);
            if (type == null) {
                continue;
            }
            for (ErgoApplication a :
                    AnnotatedElementUtils.findMergedRepeatableAnnotations(type, ErgoApplication.class)) {
                ErgoApplicationDefinition d = ErgoApplicationDefinition.of(a);
                ErgoApplicationDefinition before = applications.putIfAbsent(d.name(), d);
                if (before != null && !before.equals(d)) {
                    throw new IllegalStateException("application '" + d.name()
                            + "' is declared twice with different values by @ErgoApplication (" + type.getName() + ")");
                }
            }
        }
        for (ErgoActorDefinition d : actors.values()) {
            if (!d.application().isEmpty()) {
                applications.computeIfAbsent(d.application(), ErgoApplicationDefinition::implicit);
            }
        }
        return new ErgoActors(beans, node, actors, applications);
    }

    private static void checkNamesUnique(Iterable<ErgoActorDefinition> actors) {
        Map<String, String> owners = new LinkedHashMap<>();
        for (ErgoActorDefinition d : actors) {
            if (d.start() == ErgoActor.Start.ON_DEMAND && d.application().isEmpty()) {
                continue; // spawned when asked; a clash is reported then, as for any spawnRegister
            }
            for (String n : d.registeredNames()) {
                if (n == null) {
                    continue;
                }
                String other = owners.putIfAbsent(n, d.type().getName());
                if (other != null) {
                    throw new IllegalStateException("process name '" + n + "' is taken by two @ErgoActor classes: "
                            + other + " and " + d.type().getName());
                }
            }
        }
    }

    /** Every {@link ErgoActor} bean, in declaration order. */
    public List<ErgoActorDefinition> definitions() {
        return new ArrayList<>(definitions.values());
    }

    /** The applications to load: declared with {@link ErgoApplication} or named by an actor. */
    public Map<String, ErgoApplicationDefinition> applications() {
        return applications;
    }

    public Optional<ErgoActorDefinition> definition(Class<?> type) {
        ErgoActorDefinition found = null;
        for (ErgoActorDefinition d : definitions.values()) {
            if (d.type() == type) {
                if (found != null) {
                    throw new IllegalStateException(
                            "two @ErgoActor beans have class " + type.getName() + ": use factory(beanName)");
                }
                found = d;
            }
        }
        return Optional.ofNullable(found);
    }

    /** A factory that asks the context for a fresh bean of the given {@link ErgoActor} class on every spawn. */
    public ProcessFactory factory(Class<? extends ProcessBehavior> type) {
        ErgoActorDefinition d = definition(type)
                .orElseThrow(() -> new IllegalArgumentException(type.getName() + " is not an @ErgoActor bean"));
        return factory(d.beanName());
    }

    /** A factory that asks the context for a fresh instance of the named bean on every spawn. */
    public ProcessFactory factory(String beanName) {
        if (!definitions.containsKey(beanName)) {
            throw new IllegalArgumentException("no @ErgoActor bean named '" + beanName + "'");
        }
        return () -> {
            ProcessBehavior actor = (ProcessBehavior) beans.getBean(beanName);
            instanceListeners.forEach(l -> l.accept(actor));
            return actor;
        };
    }

    /** Tells {@code listener} about every actor instance made for a spawn (the starter's {@code LeaderGroups} tracks the leader actors among them). */
    public void addInstanceListener(Consumer<ProcessBehavior> listener) {
        instanceListeners.add(listener);
    }

    /**
     * Spawns one process of an {@link ErgoActor} class with the options of its annotation; registered under its
     * name when it has one.
     */
    public Pid spawn(Class<? extends ProcessBehavior> type, Object... args) {
        ErgoActorDefinition d = definition(type)
                .orElseThrow(() -> new IllegalArgumentException(type.getName() + " is not an @ErgoActor bean"));
        ProcessFactory f = factory(d.beanName());
        return d.name().isEmpty()
                ? node.spawn(f, d.options(), args)
                : node.spawnRegister(d.name(), f, d.options(), args);
    }

    public Node node() {
        return node;
    }
}
