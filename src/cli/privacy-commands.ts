import type { Command } from 'commander';
import { addCourseRetireCommand } from './course-retire-command.ts';
import { addUserDataCommands } from './users-commands.ts';

/** `users list|show|export|erase` and `courses retire`, beside the commands those groups already have. */
export function addPrivacyCommands(program: Command) {
  const group = (name: string, description: string) =>
    program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
  addUserDataCommands(group('users', 'labgate accounts'));
  addCourseRetireCommand(group('courses', 'manage courses'));
}
