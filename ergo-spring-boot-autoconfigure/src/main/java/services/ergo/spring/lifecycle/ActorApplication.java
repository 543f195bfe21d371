package services.ergo.spring.lifecycle;

import java.util.List;
import services.ergo.gen.ApplicationBehavior;
import services.ergo.gen.ApplicationMemberSpec;
import services.ergo.gen.ApplicationSpec;
import services.ergo.gen.Node;
import services.ergo.spring.actor.ErgoActorDefinition;
import services.ergo.spring.actor.ErgoActors;
import services.ergo.spring.actor.ErgoApplicationDefinition;

/** An application whose members are {@code @ErgoActor} beans; each start asks the context for fresh beans. */
final class ActorApplication implements ApplicationBehavior {
    private final ErgoApplicationDefinition definition;
    private final List<ErgoActorDefinition> members;
    private final ErgoActors actors;

    ActorApplication(ErgoApplicationDefinition definition, List<ErgoActorDefinition> members, ErgoActors actors) {
        this.definition = definition;
        this.members = List.copyOf(members);
        this.actors = actors;
    }

    @Override
    public ApplicationSpec load(Node node, Object... args) {
        ApplicationSpec.Builder spec = ApplicationSpec.builder(definition.name())
                .description(definition.description())
                .mode(definition.mode())
                .weight(definition.weight());
        definition.dependsOn().forEach(spec::dependsOn);
        for (ErgoActorDefinition d : members) {
            for (String name : d.registeredNames()) {
                spec.member(new ApplicationMemberSpec(name, actors.factory(d.beanName()), d.options(), List.of()));
            }
        }
        return spec.build();
    }
}
