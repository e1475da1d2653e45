// Placeholder: implemented by this stage's owner.
