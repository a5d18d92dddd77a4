export function hasErrors(diagnostics) {
    return diagnostics.some((d) => d.severity === 'error');
}
