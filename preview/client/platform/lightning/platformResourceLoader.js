/**
 * lightning/platformResourceLoader for the preview: loadScript and loadStyle add a <script>
 * or <link> to the page once per URL (later calls for the same URL share the first load), as
 * the platform does (LWC Developer Guide, "Use Third-Party JavaScript Libraries").
 */
const loads = new Map();

function load(url, create) {
    if (!loads.has(url)) {
        const pending = new Promise((resolve, reject) => {
            const element = create();
            element.onload = () => resolve();
            element.onerror = () => {
                loads.delete(url);
                reject(new Error(`Could not load ${url}`));
            };
            document.head.appendChild(element);
        });
        loads.set(url, pending);
    }
    return loads.get(url);
}

/** Loads a script (e.g. a static resource URL) once; the component argument is the caller. */
export function loadScript(component, url) {
    return load(url, () => {
        const script = document.createElement('script');
        script.src = url;
        script.charset = 'utf-8';
        return script;
    });
}

/** Loads a style sheet once. */
export function loadStyle(component, url) {
    return load(url, () => {
        const link = document.createElement('link');
        link.rel = 'stylesheet';
        link.href = url;
        return link;
    });
}
