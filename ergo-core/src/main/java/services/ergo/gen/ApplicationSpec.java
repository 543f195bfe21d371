package services.ergo.gen;

import java.util.List;
import java.util.Map;

/**
 * What an application is: its members, what it depends on, its default mode and its weight for load balancing
 * (higher weight, more traffic; 0 drains it).
 *
 * <pre>{@code
 * ApplicationSpec.builder("api")
 *     .member(ApplicationMemberSpec.of("handler", Handler::new))
 *     .weight(100)
 *     .build();
 * }</pre>
 */
public record ApplicationSpec(
        String name,
        String description,
        String version,
        List<String> depends,
        Map<String, Object> env,
        List<ApplicationMemberSpec> group,
        ApplicationMode mode,
        int weight) {

    public ApplicationSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an application needs a name");
        }
        if (weight < 0) {
            throw new IllegalArgumentException("application weight must be >= 0, got " + weight);
        }
        description = description == null ? "" : description;
        version = version == null ? "" : version;
        depends = depends == null ? List.of() : List.copyOf(depends);
        env = env == null ? Map.of() : Map.copyOf(env);
        group = group == null ? List.of() : List.copyOf(group);
        mode = mode == null ? ApplicationMode.TEMPORARY : mode;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds an {@link ApplicationSpec}; weight defaults to 100, mode to temporary. */
    public static final class Builder {
        private final String name;
        private String description = "";
        private String version = "";
        private final List<String> depends = new java.util.ArrayList<>();
        private final Map<String, Object> env = new java.util.LinkedHashMap<>();
        private final List<ApplicationMemberSpec> group = new java.util.ArrayList<>();
        private ApplicationMode mode = ApplicationMode.TEMPORARY;
        private int weight = 100;

        private Builder(String name) {
            this.name = name;
        }

        public Builder description(String value) {
            this.description = value;
            return this;
        }

        public Builder version(String value) {
            this.version = value;
            return this;
        }

        public Builder dependsOn(String application) {
            depends.add(application);
            return this;
        }

        public Builder env(String key, Object value) {
            env.put(key, value);
            return this;
        }

        public Builder member(ApplicationMemberSpec member) {
            group.add(member);
            return this;
        }

        public Builder mode(ApplicationMode value) {
            this.mode = value;
            return this;
        }

        public Builder weight(int value) {
            this.weight = value;
            return this;
        }

        public ApplicationSpec build() {
            return new ApplicationSpec(name, description, version, depends, env, group, mode, weight);
        }
    }
}
