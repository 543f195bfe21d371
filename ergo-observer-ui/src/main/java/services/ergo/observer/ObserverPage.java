package services.ergo.observer;

import java.util.Map;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * Serves the page at {@code /observer} (a static page from this jar) and tells it where the Actuator endpoint is.
 * The page holds no data: everything comes from the {@code observer} endpoint, under the Actuator's rules.
 */
@Controller
public class ObserverPage {
    private final Environment environment;

    public ObserverPage(Environment environment) {
        this.environment = environment;
    }

    @GetMapping({"/observer", "/observer/"})
    public String page() {
        return "forward:/observer/index.html";
    }

    @GetMapping(value = "/observer/config.json", produces = "application/json")
    @ResponseBody
    public Map<String, String> config() {
        String base = environment.getProperty("management.endpoints.web.base-path", "/actuator");
        return Map.of("api", base + "/observer");
    }
}
