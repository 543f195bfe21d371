package services.ergo.spring.test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.test.context.SpringBootContextLoader;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Loads a test's configuration once more with properties of its own after the test's, so that they win as a
 * later inlined property does: the same classes, slice, profiles and customizers (isolation among them), another
 * node.
 */
final class SecondNodeContextLoader extends SpringBootContextLoader {
    private final List<String> properties;

    SecondNodeContextLoader(List<String> properties) {
        this.properties = List.copyOf(properties);
    }

    @Override
    protected String[] getInlinedProperties(MergedContextConfiguration mergedConfig) {
        List<String> all = new ArrayList<>(Arrays.asList(super.getInlinedProperties(mergedConfig)));
        all.addAll(properties);
        return all.toArray(String[]::new);
    }
}
