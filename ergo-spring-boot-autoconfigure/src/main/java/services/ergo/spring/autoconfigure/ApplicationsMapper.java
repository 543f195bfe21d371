package services.ergo.spring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import services.ergo.spring.actor.ErgoApplicationDefinition;

/** {@code ergo.applications.<name>.*} over the applications the annotations declare. */
final class ApplicationsMapper {

    /**
     * @param definitions the declared applications with the properties applied
     * @param otherWeights the configured weights of applications no annotation declares ({@code ApplicationBehavior}
     *     beans, known by name only once loaded); -1 for one configured without a weight
     */
    record Applications(Map<String, ErgoApplicationDefinition> definitions, Map<String, Integer> otherWeights) {}

    private ApplicationsMapper() {}

    /** @throws RuntimeException listing every property refused ({@link PropertyProblems#throwIfAny()}) */
    static Applications map(
            Map<String, ErgoApplicationDefinition> declared, Map<String, ErgoProperties.Application> configured) {
        PropertyProblems problems = new PropertyProblems();
        Applications applications = map(declared, configured, problems);
        problems.throwIfAny();
        return applications;
    }

    /**
     * Applies every entry; what is refused goes to {@code problems}. Which applications are declared changes no
     * refusal, so the entries can be checked before the annotations are scanned ({@code declared} empty).
     */
    static Applications map(
            Map<String, ErgoApplicationDefinition> declared,
            Map<String, ErgoProperties.Application> configured,
            PropertyProblems problems) {
        Map<String, ErgoApplicationDefinition> definitions = new LinkedHashMap<>(declared);
        Map<String, Integer> otherWeights = new LinkedHashMap<>();
        configured.forEach((name, p) -> {
            Integer weight = p.getWeight();
            // the starter's own rule, for every entry: an ApplicationBehavior's weight meets the core only once the
            // node runs, and a definition's refusal would not name the property
            problems.check(
                    weight == null || weight >= 0, "ergo.applications." + name + ".weight", weight, "Must be >= 0.");
            ErgoApplicationDefinition d = definitions.get(name);
            if (d == null) {
                otherWeights.put(name, weight == null ? -1 : weight);
            } else if (weight == null || weight >= 0) {
                definitions.put(
                        name,
                        new ErgoApplicationDefinition(
                                name,
                                weight == null ? d.weight() : weight,
                                p.getMode() == null ? d.mode() : p.getMode(),
                                p.getDescription() == null ? d.description() : p.getDescription(),
                                d.dependsOn(),
                                p.getStart() == null ? d.start() : p.getStart()));
            }
        });
        return new Applications(definitions, otherWeights);
    }
}
