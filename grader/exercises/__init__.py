"""Check packages of the course's exercises, one subpackage per exercise."""
