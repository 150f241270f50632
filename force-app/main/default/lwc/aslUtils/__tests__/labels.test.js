/**
 * The consoles' texts come from custom labels; a label imported but missing from
 * CustomLabels.labels-meta.xml fails the deployment ("Field ... does not exist" at compile
 * time), and a label nobody imports is dead weight for translators.
 */
const fs = require('fs');
const path = require('path');

const LWC_DIR = path.resolve(__dirname, '..', '..');
const LABELS_FILE = path.resolve(LWC_DIR, '..', 'labels', 'CustomLabels.labels-meta.xml');

function componentSources() {
    return fs
        .readdirSync(LWC_DIR, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .flatMap((entry) =>
            fs
                .readdirSync(path.join(LWC_DIR, entry.name))
                .filter((file) => file.endsWith('.js'))
                .map((file) => path.join(LWC_DIR, entry.name, file))
        );
}

function importedLabels() {
    const names = new Map();
    for (const file of componentSources()) {
        const source = fs.readFileSync(file, 'utf8');
        for (const match of source.matchAll(/from '@salesforce\/label\/c\.([A-Za-z0-9_]+)'/g)) {
            names.set(match[1], path.relative(LWC_DIR, file));
        }
    }
    return names;
}

function definedLabels() {
    const xml = fs.readFileSync(LABELS_FILE, 'utf8');
    return [...xml.matchAll(/<labels>([\s\S]*?)<\/labels>/g)].map((match) => {
        const field = (name) => {
            const found = match[1].match(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`));
            return found ? found[1] : null;
        };
        return {
            fullName: field('fullName'),
            value: field('value'),
            shortDescription: field('shortDescription'),
            language: field('language')
        };
    });
}

describe('custom labels of the consoles', () => {
    const imported = importedLabels();
    const defined = definedLabels();
    const definedNames = new Set(defined.map((label) => label.fullName));

    it('defines every label a component imports', () => {
        const missing = [...imported.entries()]
            .filter(([name]) => !definedNames.has(name))
            .map(([name, file]) => `${name} (imported by ${file})`);
        expect(missing).toEqual([]);
    });

    it('imports every label it defines', () => {
        expect(
            defined.map((label) => label.fullName).filter((name) => !imported.has(name))
        ).toEqual([]);
    });

    it('keeps each label within the metadata limits', () => {
        // Metadata API CustomLabel: value up to 1,000 characters, shortDescription up to 80.
        const broken = defined.filter(
            (label) =>
                !label.value ||
                label.value.length > 1000 ||
                !label.shortDescription ||
                label.shortDescription.length > 80 ||
                label.language !== 'en_US'
        );
        expect(broken.map((label) => label.fullName)).toEqual([]);
        expect(new Set(defined.map((label) => label.fullName)).size).toBe(defined.length);
    });
});
